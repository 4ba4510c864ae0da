package io.github.redisonmesos.broker.consul;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.redisonmesos.broker.deployment.RedisDiscovery;

/**
 * Builds the KV record store and the Consul discovery outside a Spring context.
 */
public final class TestKvRecords {

	private TestKvRecords() {
	}

	public static KvRecords create(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		return new KvRecords(consul, properties, objectMapper);
	}

	public static RedisDiscovery discovery(ConsulClient consul) {
		return new ConsulRedisDiscovery(consul);
	}

}
