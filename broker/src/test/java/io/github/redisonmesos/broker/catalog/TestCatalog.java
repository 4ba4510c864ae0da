package io.github.redisonmesos.broker.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the catalog outside a Spring context.
 */
public final class TestCatalog {

	private static final InstanceParameters PARAMETERS = new InstanceParameters(new ObjectMapper());

	private TestCatalog() {
	}

	public static RedisCatalog redisCatalog(CatalogProperties properties) {
		return new RedisCatalog(properties, PARAMETERS);
	}

	public static InstanceParameters parameters() {
		return PARAMETERS;
	}

}
