package io.github.redisonmesos.counter.counting;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One successful count, as {@code GET /api/counter} returns it and the page shows it.
 *
 * @param consulHost the Consul this app asks
 * @param consulPort its HTTP port
 * @param consulDatacenter the datacenter asked
 * @param redisHost where Consul says Redis runs
 * @param redisPort on which port
 * @param redisUser the Redis ACL user the app authenticates as, {@code null} when the
 * binding names none (the password alone, or no password)
 * @param counter the value after this request's increment
 * @param resolvedAt when Consul last confirmed that address, ISO-8601 in UTC
 * ({@link Instant#toString()}, as Jackson writes an {@code Instant}): formatted once per
 * answer from Consul, not once per request
 * @param redisRole for an {@code ha} binding, the role of the primary in use as a
 * Sentinel reports it; {@code null} (and not in the JSON) for a single Redis
 * @param sentinelsFrom for an {@code ha} binding, where the Sentinels were found
 * (Consul's service or the binding's list); {@code null} (and not in the JSON) for a
 * single Redis
 */
record CounterReading(String consulHost, int consulPort, String consulDatacenter, String redisHost, int redisPort,
		String redisUser, long counter, String resolvedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String redisRole,
		@JsonInclude(JsonInclude.Include.NON_NULL) String sentinelsFrom) {

	CounterReading(String consulHost, int consulPort, String consulDatacenter, String redisHost, int redisPort,
			String redisUser, long counter, String resolvedAt) {
		this(consulHost, consulPort, consulDatacenter, redisHost, redisPort, redisUser, counter, resolvedAt, null,
				null);
	}

}
