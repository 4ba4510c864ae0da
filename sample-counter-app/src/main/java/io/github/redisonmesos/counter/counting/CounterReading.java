package io.github.redisonmesos.counter.counting;

import java.time.Instant;

/**
 * One successful count, as {@code GET /api/counter} returns it and the page shows it.
 *
 * @param consulHost the Consul this app asks
 * @param consulPort its HTTP port
 * @param consulDatacenter the datacenter asked
 * @param redisHost where Consul says Redis runs
 * @param redisPort on which port
 * @param counter the value after {@code INCR counter}
 * @param resolvedAt when Consul last confirmed that address
 */
record CounterReading(String consulHost, int consulPort, String consulDatacenter, String redisHost, int redisPort,
		long counter, Instant resolvedAt) {
}
