package io.github.redisonmesos.counter.discovery;

import java.time.Instant;

/**
 * The outcome of the last question the {@link EndpointLookup} put to Consul (or, for an
 * {@code ha} binding, to the Sentinels), for the health endpoint.
 *
 * @param reachable whether Consul (a Sentinel) answered
 * @param at when
 * @param index the answer's index ({@code X-Consul-Index}, the config epoch plus one for
 * Sentinel), 0 after a failure
 * @param error what went wrong, {@code null} when it answered
 */
record LookupContact(boolean reachable, Instant at, long index, String error) {

	static LookupContact answered(Instant at, long index) {
		return new LookupContact(true, at, index, null);
	}

	static LookupContact failed(Instant at, String error) {
		return new LookupContact(false, at, 0, error);
	}

}
