package io.github.redisonmesos.broker.maintenance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which node templates each maintenance version was first deployed with, shared by every
 * broker: a version's entry is written once and never changed.
 */
public interface VersionLedger {

	/**
	 * The entry of a version.
	 * @param version the version
	 * @return what it was recorded for, empty when never
	 */
	Optional<Entry> find(String version);

	/**
	 * Record a version's templates, unless another broker recorded it first.
	 * @param version the version
	 * @param entry what it stands for
	 * @return whether this write created the entry
	 */
	boolean record(String version, Entry entry);

	/**
	 * What a version stands for.
	 *
	 * @param digest the templates' digest ({@link NodeTemplates#digest()})
	 * @param images the images they run
	 * @param recordedAt when the first broker with this version started
	 */
	record Entry(String digest, List<String> images, Instant recordedAt) {

	}

}
