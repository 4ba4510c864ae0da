package io.github.redisonmesos.counter.discovery;

import java.time.Instant;

/**
 * What the app currently knows about where Redis runs.
 */
public sealed interface Resolution {

	/**
	 * Consul named a passing instance.
	 *
	 * @param endpoint where that instance listens
	 * @param resolvedAt when Consul last confirmed it
	 */
	record Resolved(RedisEndpoint endpoint, Instant resolvedAt) implements Resolution {
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
		NO_PASSING_INSTANCE

	}

}
