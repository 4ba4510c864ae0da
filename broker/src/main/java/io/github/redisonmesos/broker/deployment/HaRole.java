package io.github.redisonmesos.broker.deployment;

import java.util.Locale;

/**
 * What one node of an HA instance is now, as its own Redis says.
 */
public enum HaRole {

	/** Takes writes ({@code role:master}). Two of them are a split to look into. */
	PRIMARY,

	/** Streams from the primary and may be promoted. */
	REPLICA,

	/** A replica whose link to the primary is down or still syncing. */
	SYNCING,

	/**
	 * A replica with {@code replica-priority 0}: it has not got the bindings' users yet
	 * (ACL users are not replicated), so Sentinel never promotes it until the broker
	 * converges them.
	 */
	UNPROMOTABLE,

	/** Listed by Consul but its Redis does not answer the broker. */
	UNREACHABLE,

	/** Not listed as passing by Consul (down, moving or not started). */
	MISSING;

	/**
	 * The role as metrics and health show it.
	 * @return the lower-case name
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
