package io.github.redisonmesos.counter.discovery;

import java.time.Duration;

/**
 * The one Consul question this app asks: which instances of the service pass their
 * checks.
 */
interface HealthLookup {

	/**
	 * Lists the passing instances.
	 * @param index the last {@code X-Consul-Index} seen, 0 for an answer at once
	 * @param wait how long Consul may block waiting for a change past {@code index};
	 * {@code null} for a plain, non-blocking read
	 * @return the instances and the new index
	 * @throws ConsulLookupException when Consul cannot be asked or answers nonsense
	 */
	LookupResult passingInstances(long index, Duration wait);

	/**
	 * Says what this lookup asks, for messages and logs.
	 * @return e.g.
	 * {@code passing instances of service 'redis' in datacenter dc1 at http://...}
	 */
	String describe();

	/**
	 * Says what an empty answer means, for the 503's message.
	 * @return e.g. {@code Consul answered but lists no passing instances of ...}
	 */
	default String noneListed() {
		return "Consul answered but lists no " + describe();
	}

	/**
	 * Why there is no endpoint when this lookup fails.
	 * @return the reason its failures give
	 */
	default Resolution.Reason unreachable() {
		return Resolution.Reason.CONSUL_UNREACHABLE;
	}

}
