package io.github.redisonmesos.broker.consul;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.tls.TlsDelivery;

import org.springframework.stereotype.Component;

/**
 * {@link InstanceRecords} in Consul KV, under {@code <prefix>/instances/<instance-id>}.
 */
@Component
class KvInstanceRecords implements InstanceRecords {

	private final KvRecords records;

	KvInstanceRecords(KvRecords records) {
		this.records = records;
	}

	@Override
	public Optional<Versioned<InstanceRecord>> find(String instanceId) {
		return this.records.read(this.records.instanceKey(instanceId), InstanceRecord.class);
	}

	@Override
	public List<String> ids() {
		return this.records.list(this.records.instances()).stream().map(KvKey::name).toList();
	}

	@Override
	public boolean create(InstanceRecord record) {
		return this.records.create(this.records.instanceKey(record.instanceId()), record);
	}

	@Override
	public boolean replace(Versioned<InstanceRecord> current, InstanceRecord record) {
		return this.records.replace(this.records.instanceKey(record.instanceId()), current.version(), record);
	}

	@Override
	public boolean bury(Versioned<InstanceRecord> current, InstanceRecord tombstone) {
		this.records.deleteAll(this.records.bindingsOf(tombstone.instanceId()));
		// the instance's TLS delivery (a token's hash) goes with its app
		KvKey tls = this.records.tlsDeliveryKey(tombstone.instanceId());
		this.records.read(tls, TlsDelivery.class).ifPresent((delivery) -> this.records.delete(tls, delivery.version()));
		// and an HA instance's, one per node
		this.records.deleteAll(this.records.tlsDeliveriesOfNodes(tombstone.instanceId()));
		return replace(current, tombstone);
	}

	@Override
	public boolean delete(Versioned<InstanceRecord> current) {
		return this.records.delete(this.records.instanceKey(current.value().instanceId()), current.version());
	}

}
