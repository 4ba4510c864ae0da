package io.github.redisonmesos.broker.instance;

import java.util.Optional;

import io.github.redisonmesos.broker.consul.KvRecords;
import io.github.redisonmesos.broker.consul.Versioned;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Instance records in Consul KV; every write is a check-and-set so concurrent brokers
 * never overwrite each other.
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

	boolean create(InstanceRecord record) {
		return this.records.write(this.records.instanceKey(record.instanceId()), record, 0);
	}

	boolean replace(Versioned<InstanceRecord> current, InstanceRecord record) {
		return this.records.write(this.records.instanceKey(record.instanceId()), record, current.modifyIndex());
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
					"Another request changed instance " + record.instanceId() + "; send this one again.");
		}
	}

	void delete(String instanceId) {
		// bindings first: a crash in between leaves an instance record, which a retried
		// deprovision removes, rather than orphaned bindings
		this.records.deleteAll(this.records.bindingsOf(instanceId));
		this.records.delete(this.records.instanceKey(instanceId));
	}

}
