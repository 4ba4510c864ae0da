package io.github.redisonmesos.counter.discovery;

import java.util.List;

/**
 * One answer of {@code GET /v1/health/service/<name>?passing}.
 *
 * @param endpoints the passing instances, in Consul's order
 * @param index the {@code X-Consul-Index} of the answer, 0 when absent
 */
record LookupResult(List<RedisEndpoint> endpoints, long index) {
}
