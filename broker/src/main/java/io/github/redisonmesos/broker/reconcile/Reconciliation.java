package io.github.redisonmesos.broker.reconcile;

import java.util.List;

import io.github.redisonmesos.broker.instance.InstanceCensus;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.OrphanReconciliation;
import io.github.redisonmesos.broker.instance.ports.StrayPortClaims;
import io.github.redisonmesos.broker.instance.operations.TombstoneExpiry;
import io.github.redisonmesos.broker.instance.volumes.VolumeReclamation;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.rotation.Resealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the reconciliation every {@code broker.reconcile.interval}: reads the instance
 * records once, then hands them to each job (orphans, volumes of removed instances,
 * tombstone expiry, resealing after a key rotation, the instance counts). A run that
 * fails (Marathon or Consul away) is logged and tried again at the next interval. Safe on
 * every broker at once: each change is a check-and-set.
 */
@Component
public class Reconciliation {

	private static final Logger logger = LoggerFactory.getLogger(Reconciliation.class);

	private final InstanceRecords instances;

	private final OrphanReconciliation orphans;

	private final TombstoneExpiry tombstones;

	private final Resealer resealer;

	private final InstanceCensus census;

	private final StrayPortClaims strayPorts;

	private final VolumeReclamation volumes;

	private final ReconcileProperties properties;

	public Reconciliation(InstanceRecords instances, OrphanReconciliation orphans, TombstoneExpiry tombstones,
			Resealer resealer, InstanceCensus census, StrayPortClaims strayPorts, VolumeReclamation volumes,
			ReconcileProperties properties) {
		this.instances = instances;
		this.orphans = orphans;
		this.tombstones = tombstones;
		this.resealer = resealer;
		this.census = census;
		this.strayPorts = strayPorts;
		this.volumes = volumes;
		this.properties = properties;
	}

	@Scheduled(initialDelayString = "${broker.reconcile.interval:5m}",
			fixedDelayString = "${broker.reconcile.interval:5m}")
	void scheduled() {
		try {
			Report report = run(this.properties.removeOrphanApps());
			logger.info(
					"event=reconciled instances={} orphan_apps={} records_without_app={} resealed={} "
							+ "tombstones_forgotten={} ports_released={} volumes_deleted={}",
					report.instances(), report.orphanApps().size(), report.recordsWithoutApp(), report.resealed(),
					report.tombstonesForgotten(), report.portsReleased(), report.volumesDeleted());
		}
		catch (RuntimeException ex) {
			logger.warn("event=reconcile_failed reason=\"{}\"", ex.getMessage());
		}
	}

	/**
	 * Reconcile once.
	 * @param removeOrphanApps whether to remove apps that no record knows
	 * @return what was found and done
	 */
	public Report run(boolean removeOrphanApps) {
		List<Versioned<InstanceRecord>> records = this.instances.all();
		this.census.count(records);
		OrphanReconciliation.Orphans found = this.orphans.reconcile(records, removeOrphanApps);
		int resealed = this.resealer.reseal(records);
		// before the expiry: a tombstone whose volumes were just deleted changed, and is
		// forgotten at the next run
		int volumesDeleted = this.volumes.reclaim(records);
		int forgotten = this.tombstones.expire(records);
		int portsReleased = this.strayPorts.release(records);
		long live = records.stream().filter((current) -> !current.value().removed()).count();
		return new Report((int) live, found.apps(), found.recordsWithoutApp(), resealed, forgotten, portsReleased,
				volumesDeleted);
	}

	/**
	 * What one reconciliation found and did.
	 *
	 * @param instances instances with a live record
	 * @param orphanApps instances with an app and no record
	 * @param recordsWithoutApp ready instances whose app is missing
	 * @param resealed records sealed again with the current key
	 * @param tombstonesForgotten tombstones deleted
	 * @param portsReleased claims of ports that no live instance holds, given back
	 * @param volumesDeleted removed instances whose volumes were deleted
	 */
	public record Report(int instances, List<String> orphanApps, int recordsWithoutApp, int resealed,
			int tombstonesForgotten, int portsReleased, int volumesDeleted) {

	}

}
