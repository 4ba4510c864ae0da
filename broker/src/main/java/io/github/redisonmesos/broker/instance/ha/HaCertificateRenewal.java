package io.github.redisonmesos.broker.instance.ha;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.TlsDelivery;
import io.github.redisonmesos.broker.tls.TlsDeliveryRecords;

import org.springframework.stereotype.Component;

/**
 * Which nodes of an HA instance have a certificate due for renewal (docs/TLS.md,
 * Renewal): a node whose delivery was fetched and whose certificate has less than
 * {@code BROKER_TLS_RENEW_BEFORE} left. A node whose latest delivery has not been fetched
 * yet is never due: its render is the renewal, on its way. Read from the delivery records
 * each time, so any broker decides the same.
 */
@Component
public class HaCertificateRenewal {

	private final TlsDeliveryRecords deliveries;

	private final InstanceCertificates certificates;

	public HaCertificateRenewal(TlsDeliveryRecords deliveries, InstanceCertificates certificates) {
		this.deliveries = deliveries;
		this.certificates = certificates;
	}

	/**
	 * The nodes whose certificate is due, with its expiry.
	 * @param record an HA instance's record
	 * @param deliveredBefore only certificates delivered before this count (an update
	 * renews each node once: the one it rendered is not due again within it), or
	 * {@code null} for every one
	 * @return node index to its certificate's {@code notAfter}, in node order; empty for
	 * a single Redis, an instance without TLS or a broker without a CA
	 */
	public Map<Integer, Instant> due(InstanceRecord record, Instant deliveredBefore) {
		Map<Integer, Instant> due = new TreeMap<>();
		if (record.nodes() < 2 || !TlsMode.ofParameters(record.parameters()).on() || !this.certificates.enabled()) {
			return due;
		}
		for (int node = 0; node < record.nodes(); node++) {
			TlsDelivery delivery = this.deliveries.find(record.instanceId(), OptionalInt.of(node))
				.map(Versioned::value)
				.orElse(null);
			if (delivery == null || !delivery.delivered()
					|| (deliveredBefore != null && !delivery.deliveredAt().isBefore(deliveredBefore))) {
				continue;
			}
			Instant notAfter = this.certificates.notAfter(delivery.deliveredAt());
			if (this.certificates.dueForRenewal(notAfter)) {
				due.put(node, notAfter);
			}
		}
		return due;
	}

}
