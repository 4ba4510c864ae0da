package io.github.redisonmesos.broker.instance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.records.Versioned;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Compares the instance records with what runs: reports an app that no record knows (and
 * removes it when told to) and a record of a ready instance whose app is missing. Sets
 * {@code broker.orphans} ({@code kind}: {@code app}, {@code record}).
 */
@Component
public class OrphanReconciliation {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReconciliation.class);

	private final RedisDeployer deployer;

	private final EnumGauges<Kind> gauges;

	public OrphanReconciliation(RedisDeployer deployer, MeterRegistry meters) {
		this.deployer = deployer;
		this.gauges = new EnumGauges<>(meters, "broker.orphans", "kind", Kind.class,
				"Apps without a record and records of ready instances without an app, at the last reconciliation");
	}

	/**
	 * Find the orphans both ways.
	 * @param records every instance record, tombstones included
	 * @param removeOrphanApps whether to remove apps that no record knows
	 * @return what was found
	 */
	public Orphans reconcile(List<Versioned<InstanceRecord>> records, boolean removeOrphanApps) {
		Set<String> deployed = new HashSet<>(this.deployer.deployedInstances());
		Set<String> known = new HashSet<>();
		int recordsWithoutApp = 0;
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			if (record.removed()) {
				continue;
			}
			known.add(record.instanceId());
			if (record.ready() && !record.operation().inProgress() && !deployed.contains(record.instanceId())) {
				recordsWithoutApp++;
				logger.warn("event=orphan_record instance_id={} app_of_instance=missing operation={} state={}",
						record.instanceId(), record.operation().type().token(), record.operation().state());
			}
		}
		List<String> orphanApps = deployed.stream().filter((id) -> !known.contains(id)).sorted().toList();
		for (String instanceId : orphanApps) {
			logger.warn("event=orphan_app instance_id={} record=missing action={}", instanceId,
					removeOrphanApps ? "removed" : "reported (broker.reconcile.remove-orphan-apps=false)");
			if (removeOrphanApps) {
				this.deployer.undeployAll(instanceId);
			}
		}
		this.gauges.set(Map.of(Kind.APP, orphanApps.size(), Kind.RECORD, recordsWithoutApp));
		return new Orphans(orphanApps, recordsWithoutApp);
	}

	/**
	 * What one comparison found.
	 *
	 * @param apps instances with an app and no record
	 * @param recordsWithoutApp ready instances whose app is missing
	 */
	public record Orphans(List<String> apps, int recordsWithoutApp) {

	}

	private enum Kind {

		APP, RECORD

	}

}
