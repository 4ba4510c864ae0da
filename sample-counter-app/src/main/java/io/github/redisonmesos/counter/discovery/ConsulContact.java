package io.github.redisonmesos.counter.discovery;

import java.time.Instant;

/**
 * The outcome of the last question put to Consul, for the health endpoint.
 *
 * @param reachable whether Consul answered
 * @param at when
 * @param index the {@code X-Consul-Index} of the answer, 0 after a failure
 * @param error what went wrong, {@code null} when Consul answered
 */
record ConsulContact(boolean reachable, Instant at, long index, String error) {

	static ConsulContact answered(Instant at, long index) {
		return new ConsulContact(true, at, index, null);
	}

	static ConsulContact failed(Instant at, String error) {
		return new ConsulContact(false, at, 0, error);
	}

}
