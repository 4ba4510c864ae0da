package io.github.redisonmesos.broker.tls;

import java.util.Optional;

import io.github.redisonmesos.broker.records.Versioned;

/**
 * Where the deliveries are kept (Consul KV, {@code <prefix>/tls/<instance-id>}), each
 * change a check-and-set on the version read, so that exactly one fetch uses a token.
 */
public interface TlsDeliveryRecords {

	Optional<Versioned<TlsDelivery>> find(String instanceId);

	/**
	 * Write the delivery of a newly rendered app, over any earlier one.
	 * @param delivery the delivery
	 */
	void put(TlsDelivery delivery);

	/**
	 * Replace a delivery if nobody changed it since it was read.
	 * @param current the delivery as read
	 * @param delivery its new state
	 * @return false when another writer came first
	 */
	boolean replace(Versioned<TlsDelivery> current, TlsDelivery delivery);

}
