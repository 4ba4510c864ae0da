package io.github.redisonmesos.broker.instance;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.consul.KvKey;
import io.github.redisonmesos.broker.consul.KvRecords;
import io.github.redisonmesos.broker.consul.Versioned;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Instance records in Consul KV; every write is a check-and-set on the version read, so
 * concurrent brokers never overwrite each other.
 */
@Component
public class InstanceRepository {

	private final KvRecords records;

	InstanceRepository(KvRecords records) {
		this.records = records;
	}

	/**
	 * Read an instance record.
	 * @param instanceId the instance id
	 * @return the record and its index, empty when there is none
	 */
	public Optional<Versioned<InstanceRecord>> find(String instanceId) {
		return this.records.read(this.records.instanceKey(instanceId), InstanceRecord.class);
	}

	/**
	 * The ids of every instance record, tombstones included.
	 * @return the ids
	 */
	public List<String> ids() {
		return this.records.list(this.records.instances()).stream().map(KvKey::name).toList();
	}

	boolean create(InstanceRecord record) {
		return this.records.create(this.records.instanceKey(record.instanceId()), record);
	}

	boolean replace(Versioned<InstanceRecord> current, InstanceRecord record) {
		return this.records.replace(this.records.instanceKey(record.instanceId()), current.modifyIndex(), record);
	}

	/**
	 * Replace a record that this request read; another broker's write in between wins.
	 * @param current the record as read
	 * @param record the new record
	 * @throws ServiceBrokerConcurrencyException when another request changed the record
	 */
	void replaceOrConflict(Versioned<InstanceRecord> current, InstanceRecord record) {
		if (!replace(current, record)) {
			throw new ServiceBrokerConcurrencyException(
					"Another request changed instance " + record.instanceId() + " meanwhile; send this one again.");
		}
	}

	/**
	 * Turn a record into the tombstone of its finished deprovision, dropping the
	 * instance's binding records first: a crash in between leaves the instance record,
	 * which the next poll finishes.
	 * @param current the record as read
	 * @param tombstone the tombstone
	 * @return whether this write won
	 */
	boolean bury(Versioned<InstanceRecord> current, InstanceRecord tombstone) {
		this.records.deleteAll(this.records.bindingsOf(tombstone.instanceId()));
		return replace(current, tombstone);
	}

	/**
	 * Forget a tombstone, unless it changed since it was read.
	 * @param current the tombstone as read
	 * @return whether it was deleted
	 */
	boolean forget(Versioned<InstanceRecord> current) {
		return this.records.delete(this.records.instanceKey(current.value().instanceId()), current.modifyIndex());
	}

}
