package io.github.redisonmesos.broker.maintenance;

import java.util.List;

/**
 * What the broker deploys every Redis node from, as one fingerprint: a maintenance
 * version stands for exactly one.
 */
public interface NodeTemplates {

	/**
	 * The digest of the rendered templates (single Redis and HA node), image included.
	 * @return {@code sha256:<hex>}
	 */
	String digest();

	/**
	 * The images the templates run.
	 * @return the image references, single Redis first, without repeats
	 */
	List<String> images();

}
