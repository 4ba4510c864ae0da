package io.github.redisonmesos.broker.instance;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.consul.ConsulClient;
import io.github.redisonmesos.broker.consul.ConsulProperties;

import org.springframework.stereotype.Component;

/**
 * Instance records in Consul KV; every write is a check-and-set so concurrent brokers
 * never overwrite each other.
 */
@Component
public class InstanceRepository {

	private final ConsulClient consul;

	private final ObjectMapper objectMapper;

	private final String prefix;

	InstanceRepository(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		this.consul = consul;
		this.objectMapper = objectMapper;
		this.prefix = properties.kvPrefix();
	}

	/**
	 * Read an instance record.
	 * @param instanceId the instance id
	 * @return the record and its index, empty when there is none
	 */
	public Optional<Versioned<InstanceRecord>> find(String instanceId) {
		return this.consul.get(key(instanceId))
			.map((entry) -> new Versioned<>(read(entry.value()), entry.modifyIndex()));
	}

	boolean create(InstanceRecord record) {
		return this.consul.put(key(record.instanceId()), write(record), 0);
	}

	boolean replace(Versioned<InstanceRecord> current, InstanceRecord record) {
		return this.consul.put(key(record.instanceId()), write(record), current.modifyIndex());
	}

	void delete(String instanceId) {
		// bindings first: a crash in between leaves an instance record, which a retried
		// deprovision removes, rather than orphaned bindings
		this.consul.deleteRecursively(this.prefix + "/bindings/" + instanceId + "/");
		this.consul.deleteRecursively(key(instanceId));
	}

	private String key(String instanceId) {
		return this.prefix + "/instances/" + instanceId;
	}

	private String write(InstanceRecord record) {
		try {
			return this.objectMapper.writeValueAsString(record);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialise the record of instance " + record.instanceId(), ex);
		}
	}

	private InstanceRecord read(String json) {
		try {
			return this.objectMapper.readValue(json, InstanceRecord.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("An instance record in Consul KV under " + this.prefix
					+ "/instances/ is not readable: " + ex.getOriginalMessage());
		}
	}

}
