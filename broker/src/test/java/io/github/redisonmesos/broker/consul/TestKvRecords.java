package io.github.redisonmesos.broker.consul;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the KV record store outside a Spring context.
 */
public final class TestKvRecords {

	private TestKvRecords() {
	}

	public static KvRecords create(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		return new KvRecords(consul, properties, objectMapper);
	}

}
