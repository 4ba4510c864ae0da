package io.github.redisonmesos.broker.consul;

import java.util.Optional;
import java.util.OptionalInt;

import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.tls.TlsDelivery;
import io.github.redisonmesos.broker.tls.TlsDeliveryRecords;

import org.springframework.stereotype.Component;

/**
 * {@link TlsDeliveryRecords} in Consul KV, under {@code <prefix>/tls/<instance-id>} (an
 * HA node's under {@code <prefix>/tls/<instance-id>/node-<n>}): the token's hash and
 * whether it was used, never a key or a token.
 */
@Component
class KvTlsDeliveries implements TlsDeliveryRecords {

	// a render races only another broker's render of the same instance
	private static final int ATTEMPTS = 5;

	private final KvRecords records;

	KvTlsDeliveries(KvRecords records) {
		this.records = records;
	}

	@Override
	public Optional<Versioned<TlsDelivery>> find(String instanceId, OptionalInt node) {
		return this.records.read(this.records.tlsDeliveryKey(instanceId, node), TlsDelivery.class);
	}

	@Override
	public void put(TlsDelivery delivery) {
		KvKey key = this.records.tlsDeliveryKey(delivery.instanceId(), delivery.nodeIndex());
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Optional<Versioned<TlsDelivery>> current = find(delivery.instanceId(), delivery.nodeIndex());
			boolean written = current.isEmpty() ? this.records.create(key, delivery)
					: this.records.replace(key, current.get().version(), delivery);
			if (written) {
				return;
			}
		}
		throw new IllegalStateException("Cannot write the TLS delivery of instance " + delivery.instanceId()
				+ ": other writers changed it " + ATTEMPTS + " times in a row");
	}

	@Override
	public boolean replace(Versioned<TlsDelivery> current, TlsDelivery delivery) {
		return this.records.replace(this.records.tlsDeliveryKey(delivery.instanceId(), delivery.nodeIndex()),
				current.version(), delivery);
	}

}
