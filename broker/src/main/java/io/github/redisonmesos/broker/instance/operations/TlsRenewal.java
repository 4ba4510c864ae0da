package io.github.redisonmesos.broker.instance.operations;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.ha.HaCertificateRenewal;
import io.github.redisonmesos.broker.instance.ha.HaRollingUpdate;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.TlsDelivery;
import io.github.redisonmesos.broker.tls.TlsDeliveryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Renews instances' certificates before they expire (docs/TLS.md, Renewal): every
 * {@code broker.reconcile.interval}, a single Redis with TLS on whose delivered
 * certificate has less than {@code BROKER_TLS_RENEW_BEFORE} left gets an update that
 * redeploys it as it is, and so a new delivery: a new key and certificate, fetched once.
 * An HA instance with a node whose certificate is due gets a rolling update that restarts
 * each such node ({@link HaCertificateRenewal}, {@link HaRollingUpdate}). Only an
 * instance with no operation running, and only once its current delivery was fetched (a
 * renewal that has not reached its node yet is not started again). Every other redeploy
 * (an upgrade, a settings change) renews too: each render is a new delivery. Safe on
 * every broker at once: the update starts with a check-and-set. Nobody polls a renewal
 * (the platform did not ask for it), so this class does, every
 * {@code broker.reconcile.ha-interval}, until it has finished.
 */
@Component
public class TlsRenewal {

	private static final Logger logger = LoggerFactory.getLogger(TlsRenewal.class);

	/** How a renewal's description starts, which {@link #drive(List)} looks for. */
	static final String RENEWING = "renewing the TLS certificate";

	private final InstanceRecords instances;

	private final OperationDriver driver;

	private final TlsDeliveryRecords deliveries;

	private final InstanceCertificates certificates;

	private final Clock clock;

	private final HaCertificateRenewal haRenewal;

	private final RedisServiceInstanceService operations;

	TlsRenewal(InstanceRecords instances, OperationDriver driver, TlsDeliveryRecords deliveries,
			InstanceCertificates certificates, HaCertificateRenewal haRenewal, RedisServiceInstanceService operations,
			Clock clock) {
		this.haRenewal = haRenewal;
		this.operations = operations;
		this.instances = instances;
		this.driver = driver;
		this.deliveries = deliveries;
		this.certificates = certificates;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${broker.reconcile.interval:5m}",
			fixedDelayString = "${broker.reconcile.interval:5m}")
	void scheduled() {
		if (!this.certificates.enabled()) {
			return;
		}
		try {
			renew(this.instances.all());
		}
		catch (RuntimeException ex) {
			logger.warn("event=tls_renewal_failed reason=\"{}\"", ex.getMessage());
		}
	}

	/**
	 * Take the next step of every renewal running: nobody else polls them (the platform
	 * did not ask for them), and an HA instance's rolling update moves one step per poll;
	 * a renewal left in progress would refuse the next update and the deprovision.
	 */
	@Scheduled(initialDelayString = "${broker.reconcile.ha-interval:10s}",
			fixedDelayString = "${broker.reconcile.ha-interval:10s}")
	void driveRunning() {
		if (!this.certificates.enabled()) {
			return;
		}
		try {
			drive(this.instances.all());
		}
		catch (RuntimeException ex) {
			logger.warn("event=tls_renewal_failed reason=\"{}\"", ex.getMessage());
		}
	}

	/**
	 * Poll every renewal in progress once, as the platform polls the operations it asked
	 * for: the same step, the same end (the record finished, the metrics, the log line).
	 * @param records the instance records
	 * @return how many renewals were polled
	 */
	public int drive(List<Versioned<InstanceRecord>> records) {
		int polled = 0;
		for (Versioned<InstanceRecord> current : records) {
			Operation operation = current.value().operation();
			if (current.value().removed() || !operation.inProgress(Operation.Type.UPDATE)
					|| operation.description() == null || !operation.description().startsWith(RENEWING)) {
				continue;
			}
			try {
				this.operations
					.getLastOperation(GetLastServiceOperationRequest.builder()
						.serviceInstanceId(current.value().instanceId())
						.operation(Operation.Type.UPDATE.token())
						.build())
					.block();
				polled++;
			}
			catch (RuntimeException ex) {
				// Marathon or Consul away: the next round polls again
				logger.warn("event=tls_renewal_step_failed instance_id={} reason=\"{}\"", current.value().instanceId(),
						ex.getMessage());
			}
		}
		return polled;
	}

	/**
	 * Start the renewal of every certificate that is due.
	 * @param records the instance records
	 * @return how many renewals were started
	 */
	public int renew(List<Versioned<InstanceRecord>> records) {
		int started = 0;
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			if (record.removed() || !record.provisioned() || record.operation().inProgress()
					|| !TlsMode.ofParameters(record.parameters()).on()) {
				continue;
			}
			Due due = (record.nodes() > 1) ? haDue(record) : singleDue(record);
			if (due == null) {
				continue;
			}
			InstanceRecord renewing = record
				.withOperation(Operation.start(Operation.Type.UPDATE, this.clock.instant(), due.description()));
			if (this.instances.replace(current, renewing)) {
				logger.info("event=tls_renewal instance_id={} not_after={}{}", record.instanceId(), due.notAfter(),
						due.nodes());
				this.driver.begin(renewing);
				started++;
			}
		}
		return started;
	}

	// a single Redis: its one delivery, once fetched
	private Due singleDue(InstanceRecord record) {
		TlsDelivery delivery = this.deliveries.find(record.instanceId()).map(Versioned::value).orElse(null);
		if (delivery == null || !delivery.delivered()) {
			return null;
		}
		Instant notAfter = this.certificates.notAfter(delivery.deliveredAt());
		return this.certificates.dueForRenewal(notAfter)
				? new Due(notAfter, "", RENEWING + ", which expires at " + notAfter) : null;
	}

	// an HA instance: a rolling update, which restarts the nodes whose certificate is due
	// (HaRollingUpdate asks the same HaCertificateRenewal)
	private Due haDue(InstanceRecord record) {
		Map<Integer, Instant> due = this.haRenewal.due(record, null);
		if (due.isEmpty()) {
			return null;
		}
		String nodes = due.keySet().stream().map((node) -> "node-" + node).collect(Collectors.joining(","));
		Instant first = due.values().stream().min(Instant::compareTo).orElseThrow();
		return new Due(first, " nodes=" + nodes, RENEWING + "s of " + nodes.replace(",", ", ")
				+ ", the first of which expires at " + first + " (a rolling update: " + HaRollingUpdate.ORDER + ")");
	}

	private record Due(Instant notAfter, String nodes, String description) {
	}

}
