package io.github.redisonmesos.broker.binding;

import java.util.Optional;

import io.github.redisonmesos.broker.consul.KvRecords;
import io.github.redisonmesos.broker.consul.Versioned;

import org.springframework.stereotype.Component;

/**
 * Binding records in Consul KV.
 */
@Component
class BindingRepository {

	private final KvRecords records;

	BindingRepository(KvRecords records) {
		this.records = records;
	}

	Optional<BindingRecord> find(String instanceId, String bindingId) {
		return this.records.read(this.records.bindingKey(instanceId, bindingId), BindingRecord.class)
			.map(Versioned::value);
	}

	boolean create(BindingRecord record) {
		return this.records.write(this.records.bindingKey(record.instanceId(), record.bindingId()), record, 0);
	}

	void delete(String instanceId, String bindingId) {
		this.records.delete(this.records.bindingKey(instanceId, bindingId));
	}

}
