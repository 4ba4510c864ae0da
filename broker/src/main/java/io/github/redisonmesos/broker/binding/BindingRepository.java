package io.github.redisonmesos.broker.binding;

import java.util.Optional;

import io.github.redisonmesos.broker.consul.KvRecords;
import io.github.redisonmesos.broker.consul.Versioned;

import org.springframework.stereotype.Component;

/**
 * Binding records in Consul KV; every change is a check-and-set on the version read.
 */
@Component
class BindingRepository {

	private final KvRecords records;

	BindingRepository(KvRecords records) {
		this.records = records;
	}

	Optional<Versioned<BindingRecord>> find(String instanceId, String bindingId) {
		return this.records.read(this.records.bindingKey(instanceId, bindingId), BindingRecord.class);
	}

	boolean create(BindingRecord record) {
		return this.records.create(this.records.bindingKey(record.instanceId(), record.bindingId()), record);
	}

	boolean replace(Versioned<BindingRecord> current, BindingRecord record) {
		return this.records.replace(this.records.bindingKey(record.instanceId(), record.bindingId()),
				current.modifyIndex(), record);
	}

	boolean delete(Versioned<BindingRecord> current) {
		BindingRecord record = current.value();
		return this.records.delete(this.records.bindingKey(record.instanceId(), record.bindingId()),
				current.modifyIndex());
	}

}
