package io.github.redisonmesos.broker.tls;

import java.util.Optional;
import java.util.OptionalInt;

import io.github.redisonmesos.broker.records.Versioned;

/**
 * Where the deliveries are kept (Consul KV, {@code <prefix>/tls/<instance-id>}, an HA
 * node's at {@code <prefix>/tls/<instance-id>/node-<n>}), each change a check-and-set on
 * the version read, so that exactly one fetch uses a token.
 */
public interface TlsDeliveryRecords {

	default Optional<Versioned<TlsDelivery>> find(String instanceId) {
		return find(instanceId, OptionalInt.empty());
	}

	/**
	 * The delivery of one app of an instance.
	 * @param instanceId the instance id
	 * @param node an HA node's index (each node app has its own), empty for a single
	 * Redis
	 * @return the delivery, empty without one
	 */
	Optional<Versioned<TlsDelivery>> find(String instanceId, OptionalInt node);

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
