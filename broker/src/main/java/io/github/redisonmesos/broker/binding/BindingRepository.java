package io.github.redisonmesos.broker.binding;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.consul.ConsulClient;
import io.github.redisonmesos.broker.consul.ConsulProperties;

import org.springframework.stereotype.Component;

/**
 * Binding records in Consul KV.
 */
@Component
class BindingRepository {

	private final ConsulClient consul;

	private final ObjectMapper objectMapper;

	private final String prefix;

	BindingRepository(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		this.consul = consul;
		this.objectMapper = objectMapper;
		this.prefix = properties.kvPrefix();
	}

	Optional<BindingRecord> find(String instanceId, String bindingId) {
		return this.consul.get(key(instanceId, bindingId)).map((entry) -> read(entry.value()));
	}

	boolean create(BindingRecord record) {
		try {
			return this.consul.put(key(record.instanceId(), record.bindingId()),
					this.objectMapper.writeValueAsString(record), 0);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialise binding " + record.bindingId(), ex);
		}
	}

	void delete(String instanceId, String bindingId) {
		this.consul.deleteRecursively(key(instanceId, bindingId));
	}

	private String key(String instanceId, String bindingId) {
		return this.prefix + "/bindings/" + instanceId + "/" + bindingId;
	}

	private BindingRecord read(String json) {
		try {
			return this.objectMapper.readValue(json, BindingRecord.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("A binding record in Consul KV under " + this.prefix
					+ "/bindings/ is not readable: " + ex.getOriginalMessage());
		}
	}

}
