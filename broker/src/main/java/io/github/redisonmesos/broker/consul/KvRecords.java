package io.github.redisonmesos.broker.consul;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.stereotype.Component;

/**
 * The broker's records in Consul KV: JSON values under the one key layout of
 * docs/INTERFACES.md, {@code <prefix>/instances/<instance-id>},
 * {@code <prefix>/bindings/<instance-id>/<binding-id>}, {@code <prefix>/ports/<port>} and
 * {@code <prefix>/maintenance/<version>} and
 * {@code <prefix>/backups/<instance-id>/<backup-id>}. Every write is a check-and-set on
 * the index the record was read at. {@link KvInstanceRecords}, {@link KvBindingRecords},
 * {@link KvPortClaims}, {@link KvMaintenanceVersions} and {@link KvBackupRecords} serve
 * the domain's record ports with it.
 */
@Component
class KvRecords {

	private final ConsulClient consul;

	private final ObjectMapper objectMapper;

	private final KvKey prefix;

	KvRecords(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		this.consul = consul;
		this.objectMapper = objectMapper;
		this.prefix = KvKey.of(Arrays.asList(properties.kvPrefix().split("/")));
	}

	/**
	 * The folder of the instance records.
	 * @return {@code <prefix>/instances/}
	 */
	KvKey instances() {
		return this.prefix.child("instances").asFolder();
	}

	/**
	 * The key of an instance record.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/instances/<instance-id>}
	 */
	KvKey instanceKey(String instanceId) {
		return this.prefix.child("instances").child(instanceId);
	}

	/**
	 * The key of a binding record.
	 * @param instanceId the instance id
	 * @param bindingId the binding id
	 * @return {@code <prefix>/bindings/<instance-id>/<binding-id>}
	 */
	KvKey bindingKey(String instanceId, String bindingId) {
		return bindingsOf(instanceId).child(bindingId);
	}

	/**
	 * The folder of the port claims.
	 * @return {@code <prefix>/ports/}
	 */
	KvKey ports() {
		return this.prefix.child("ports").asFolder();
	}

	/**
	 * The key of a port claim.
	 * @param port the port
	 * @return {@code <prefix>/ports/<port>}
	 */
	KvKey portKey(int port) {
		return this.prefix.child("ports").child(Integer.toString(port));
	}

	/**
	 * The folder of all binding records of an instance.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/bindings/<instance-id>/}
	 */
	KvKey bindingsOf(String instanceId) {
		return this.prefix.child("bindings").child(instanceId).asFolder();
	}

	/**
	 * The key of an instance's TLS delivery.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/tls/<instance-id>}
	 */
	KvKey tlsDeliveryKey(String instanceId) {
		return this.prefix.child("tls").child(instanceId);
	}

	/**
	 * The key of the TLS delivery of one app of an instance.
	 * @param instanceId the instance id
	 * @param node an HA node's index, empty for a single Redis
	 * @return {@code <prefix>/tls/<instance-id>}, or
	 * {@code <prefix>/tls/<instance-id>/node-<n>} for an HA node
	 */
	KvKey tlsDeliveryKey(String instanceId, OptionalInt node) {
		return node.isPresent() ? tlsDeliveriesOfNodes(instanceId).child("node-" + node.getAsInt())
				: tlsDeliveryKey(instanceId);
	}

	/**
	 * The folder of an HA instance's node deliveries.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/tls/<instance-id>/}
	 */
	KvKey tlsDeliveriesOfNodes(String instanceId) {
		return this.prefix.child("tls").child(instanceId).asFolder();
	}

	/**
	 * The key of a maintenance version's entry.
	 * @param version the version (a semantic version)
	 * @return {@code <prefix>/maintenance/<version>}
	 */
	KvKey maintenanceKey(String version) {
		return this.prefix.child("maintenance").child(version);
	}

	/**
	 * The folder of an instance's backup records.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/backups/<instance-id>/}
	 */
	KvKey backupsOf(String instanceId) {
		return this.prefix.child("backups").child(instanceId).asFolder();
	}

	/**
	 * The key of an instance's backup lock (one backup at a time across brokers).
	 * @param instanceId the instance id
	 * @return {@code <prefix>/backup-locks/<instance-id>}
	 */
	KvKey backupLockKey(String instanceId) {
		return this.prefix.child("backup-locks").child(instanceId);
	}

	/**
	 * The folder of the deprovisioned instances whose backups are still kept.
	 * @return {@code <prefix>/backups-removed/}
	 */
	KvKey removedFolder() {
		return this.prefix.child("backups-removed").asFolder();
	}

	/**
	 * The key of a deprovisioned instance whose backups are still kept.
	 * @param instanceId the instance id
	 * @return {@code <prefix>/backups-removed/<instance-id>}
	 */
	KvKey removedKey(String instanceId) {
		return this.prefix.child("backups-removed").child(instanceId);
	}

	/**
	 * Read a record.
	 * @param <T> the record type
	 * @param key the key
	 * @param type the record type
	 * @return the record and its index, empty when the key does not exist
	 */
	<T> Optional<Versioned<T>> read(KvKey key, Class<T> type) {
		return this.consul.get(key)
			.map((entry) -> new Versioned<>(parse(key, entry.value(), type), entry.modifyIndex()));
	}

	/**
	 * Create a record that must not exist yet.
	 * @param key the key
	 * @param record the record
	 * @return whether this write won (false when the key exists)
	 */
	boolean create(KvKey key, Object record) {
		return this.consul.put(key, json(key, record), 0);
	}

	/**
	 * Replace a record that is still at the index it was read at.
	 * @param key the key
	 * @param read the index the record was read at
	 * @param record the new record
	 * @return whether this write won (false when another writer came first)
	 */
	boolean replace(KvKey key, long read, Object record) {
		return this.consul.put(key, json(key, record), read);
	}

	/**
	 * Delete a record that is still at the index it was read at.
	 * @param key the key
	 * @param read the index the record was read at
	 * @return whether it was deleted
	 */
	boolean delete(KvKey key, long read) {
		return this.consul.delete(key, read);
	}

	/**
	 * Delete every record in a folder.
	 * @param folder a folder, such as {@link #bindingsOf(String)}
	 */
	void deleteAll(KvKey folder) {
		this.consul.deleteFolder(folder);
	}

	/**
	 * The keys of the records in a folder.
	 * @param folder a folder, such as {@link #instances()}
	 * @return their keys
	 */
	List<KvKey> list(KvKey folder) {
		return this.consul.keys(folder);
	}

	private String json(KvKey key, Object record) {
		try {
			return this.objectMapper.writeValueAsString(record);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialise the record for Consul key " + key, ex);
		}
	}

	private <T> T parse(KvKey key, String json, Class<T> type) {
		try {
			return this.objectMapper.readValue(json, type);
		}
		catch (JsonProcessingException ex) {
			// only a hand edit (or a hostile writer) gets here: say which key to repair
			throw new UnreadableRecordException("The broker's record in Consul KV at " + key + " is not readable ("
					+ ex.getOriginalMessage() + "); repair its JSON or delete the key, and check that only the broker "
					+ "can write under its KV prefix.");
		}
	}

}
