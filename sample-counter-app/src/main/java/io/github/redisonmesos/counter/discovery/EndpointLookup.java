package io.github.redisonmesos.counter.discovery;

import java.time.Duration;

/**
 * Where Redis runs now, the one question the watch asks: Consul's passing instances of
 * the bound service ({@link ConsulHealthLookup}), or, for an {@code ha} binding, the
 * primary its Sentinels name ({@link SentinelLookup}).
 */
interface EndpointLookup {

	/**
	 * Lists the passing instances (the primary, for Sentinel).
	 * @param index the last answer's index ({@code X-Consul-Index}, or the primary's
	 * config epoch plus one for Sentinel), 0 for an answer at once
	 * @param wait how long the answer may wait for a change past {@code index};
	 * {@code null} for a plain, non-blocking read
	 * @return the instances and the new index
	 * @throws EndpointLookupException when Consul (or every Sentinel) cannot be asked or
	 * answers nonsense
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
