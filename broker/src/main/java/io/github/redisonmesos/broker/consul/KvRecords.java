package io.github.redisonmesos.broker.consul;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/**
 * The broker's records in Consul KV: JSON values under the one key layout of
 * docs/INTERFACES.md, {@code <prefix>/instances/<instance-id>} and
 * {@code <prefix>/bindings/<instance-id>/<binding-id>}.
 */
@Component
public class KvRecords {

	private final ConsulClient consul;

	private final ObjectMapper objectMapper;

	private final String prefix;

	KvRecords(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		this.consul = consul;
		this.objectMapper = objectMapper;
		this.prefix = properties.kvPrefix();
	}

	/**
	 * The key of an instance record.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/instances/<instance-id>}
	 */
	public String instanceKey(String instanceId) {
		return this.prefix + "/instances/" + instanceId;
	}

	/**
	 * The key of a binding record.
	 * @param instanceId the instance id
	 * @param bindingId the binding id
	 * @return {@code <prefix>/bindings/<instance-id>/<binding-id>}
	 */
	public String bindingKey(String instanceId, String bindingId) {
		return bindingsOf(instanceId) + bindingId;
	}

	/**
	 * The prefix of all binding records of an instance.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/bindings/<instance-id>/}
	 */
	public String bindingsOf(String instanceId) {
		return this.prefix + "/bindings/" + instanceId + "/";
	}

	/**
	 * Read a record.
	 * @param <T> the record type
	 * @param key the key
	 * @param type the record type
	 * @return the record and its index, empty when the key does not exist
	 */
	public <T> Optional<Versioned<T>> read(String key, Class<T> type) {
		return this.consul.get(key)
			.map((entry) -> new Versioned<>(parse(key, entry.value(), type), entry.modifyIndex()));
	}

	/**
	 * Write a record with check-and-set.
	 * @param key the key
	 * @param record the record
	 * @param cas 0 to create only when absent, otherwise the index the record was read at
	 * @return whether this write won
	 */
	public boolean write(String key, Object record, long cas) {
		try {
			return this.consul.put(key, this.objectMapper.writeValueAsString(record), cas);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialise the record for Consul key " + key, ex);
		}
	}

	/**
	 * Delete one record.
	 * @param key the key
	 */
	public void delete(String key) {
		this.consul.delete(key);
	}

	/**
	 * Delete every record under a prefix.
	 * @param prefix a prefix ending in {@code /}, such as {@link #bindingsOf(String)}
	 */
	public void deleteAll(String prefix) {
		this.consul.deleteRecursively(prefix);
	}

	private <T> T parse(String key, String json, Class<T> type) {
		try {
			return this.objectMapper.readValue(json, type);
		}
		catch (JsonProcessingException ex) {
			// only a hand edit gets here: say which key to repair
			throw new IllegalStateException("The broker's record in Consul KV at " + key + " is not readable ("
					+ ex.getOriginalMessage() + "); repair its JSON or delete the key.");
		}
	}

}
