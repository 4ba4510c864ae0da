package io.github.redisonmesos.counter.discovery;

import java.time.Instant;

/**
 * What the app currently knows about where Redis runs.
 */
public sealed interface Resolution {

	/**
	 * Consul named a passing instance (or the Sentinels named the primary).
	 *
	 * @param endpoint where that instance listens
	 * @param resolvedAt when Consul (or a Sentinel) last confirmed it
	 * @param sentinel what the Sentinels said beside the address, {@code null} for a
	 * single Redis found through Consul
	 */
	record Resolved(RedisEndpoint endpoint, Instant resolvedAt, SentinelView sentinel) implements Resolution {

		public Resolved(RedisEndpoint endpoint, Instant resolvedAt) {
			this(endpoint, resolvedAt, null);
		}

	}

	/**
	 * No usable answer from Consul.
	 *
	 * @param reason why not
	 * @param message what was asked and what went wrong, for people
	 * @param at when this was found
	 */
	record Unresolved(Reason reason, String message, Instant at) implements Resolution {
	}

	/**
	 * Why there is no endpoint.
	 */
	enum Reason {

		/** Consul could not be asked or did not answer sensibly. */
		CONSUL_UNREACHABLE,

		/** Consul answered and listed no instance with all checks passing. */
		NO_PASSING_INSTANCE,

		/** No Sentinel of an {@code ha} binding could be asked. */
		SENTINEL_UNREACHABLE,

		/**
		 * Consul's ACLs hid the service (Redis's, or the Sentinels' with no Sentinel of
		 * the binding answering) from the app's token.
		 */
		CONSUL_ACL_DENIED

	}

}
