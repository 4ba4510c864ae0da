package io.github.redisonmesos.counter.discovery;

import java.util.List;

/**
 * One answer of {@code GET /v1/health/service/<name>?passing}, or of the Sentinels for an
 * {@code ha} binding.
 *
 * @param endpoints the passing instances, in Consul's order (the primary, for Sentinel)
 * @param index the {@code X-Consul-Index} of the answer, 0 when absent (for Sentinel, the
 * primary's config epoch plus one)
 * @param sentinel what the Sentinels said beside the address, {@code null} from Consul
 */
record LookupResult(List<RedisEndpoint> endpoints, long index, SentinelView sentinel) {

	LookupResult(List<RedisEndpoint> endpoints, long index) {
		this(endpoints, index, null);
	}

}
