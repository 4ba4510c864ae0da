package io.github.redisonmesos.broker.consul;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.binding.BindingRecord;
import io.github.redisonmesos.broker.binding.BindingRecords;
import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.stereotype.Component;

/**
 * {@link BindingRecords} in Consul KV, under
 * {@code <prefix>/bindings/<instance-id>/<binding-id>}.
 */
@Component
class KvBindingRecords implements BindingRecords {

	private final KvRecords records;

	KvBindingRecords(KvRecords records) {
		this.records = records;
	}

	@Override
	public Optional<Versioned<BindingRecord>> find(String instanceId, String bindingId) {
		return this.records.read(this.records.bindingKey(instanceId, bindingId), BindingRecord.class);
	}

	@Override
	public List<String> ids(String instanceId) {
		return this.records.list(this.records.bindingsOf(instanceId)).stream().map(KvKey::name).toList();
	}

	@Override
	public boolean create(BindingRecord record) {
		return this.records.create(key(record), record);
	}

	@Override
	public boolean replace(Versioned<BindingRecord> current, BindingRecord record) {
		return this.records.replace(key(record), current.version(), record);
	}

	@Override
	public boolean delete(Versioned<BindingRecord> current) {
		return this.records.delete(key(current.value()), current.version());
	}

	private KvKey key(BindingRecord record) {
		return this.records.bindingKey(record.instanceId(), record.bindingId());
	}

}
