package io.github.redisonmesos.broker.instance.volumes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.instance.EnumGauges;
import io.github.redisonmesos.broker.instance.InstanceRecord.VolumeState;
import io.github.redisonmesos.broker.instance.InstanceRecord.Volumes;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.records.Versioned;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What becomes of a removed instance's external volumes. Without a libStorage URL they
 * are left to the operator, and the tombstone names them. With one, the tombstone says
 * until when they are kept ({@code broker.volumes.retention}); once that has passed the
 * reconciliation deletes them, lists them again, and records what it found: deleted,
 * still listed although the delete was answered with success (undeletable), or not
 * deleted (failed). Both are retried at every reconciliation, and the tombstone is kept
 * until the volumes are gone. {@code broker.volumes} ({@code state}) counts the volumes
 * by state.
 */
@Component
public class VolumeReclamation {

	private static final Logger logger = LoggerFactory.getLogger(VolumeReclamation.class);

	private final InstanceRecords instances;

	private final Optional<VolumeStore> store;

	private final Duration retention;

	private final Clock clock;

	private final EnumGauges<VolumeState> gauges;

	public VolumeReclamation(InstanceRecords instances, Optional<VolumeStore> store, VolumesProperties properties,
			MeterRegistry meters, Clock clock) {
		this.instances = instances;
		this.store = store;
		this.retention = properties.retention();
		this.clock = clock;
		this.gauges = new EnumGauges<>(meters, "broker.volumes", "state", VolumeState.class,
				"External volumes of the instance records by state, at the last reconciliation");
		if (store.isEmpty()) {
			logger.warn("event=volumes_left_to_operator broker.volumes.url is not set: a deprovision leaves the "
					+ "instance's volumes (osb-redis-<instance-id>-...) for the operator to delete, and its tombstone "
					+ "names them; set BROKER_VOLUMES_URL to REX-Ray's libStorage API to have them deleted");
		}
		else {
			logger.info("event=volumes_deleted_after_retention url={} service={} retention={}", properties.url(),
					properties.service(), this.retention);
		}
	}

	/**
	 * What the tombstone of a finished deprovision says about the volumes.
	 * @param tombstone the tombstone, with its removal time
	 * @return the tombstone with its volumes retained until the retention has passed, or
	 * left to the operator
	 */
	public InstanceRecord leave(InstanceRecord tombstone) {
		List<String> names = tombstone.volumeNames();
		Volumes volumes = (tombstone.volumes() != null) ? tombstone.volumes() : Volumes.inUse(names);
		if (this.store.isEmpty()) {
			return tombstone.withVolumes(volumes.to(VolumeState.LEFT_TO_OPERATOR, null,
					"left to the operator (broker.volumes.url is not set): delete " + String.join(", ", names)));
		}
		Instant deleteAfter = tombstone.removedAt().plus(this.retention);
		return tombstone.withVolumes(volumes.to(VolumeState.RETAINED, deleteAfter, "kept until " + deleteAfter
				+ " (broker.volumes.retention), then deleted: " + String.join(", ", names)));
	}

	/**
	 * Whether a tombstone must stay because the broker still has volumes of it to delete.
	 * @param record a record
	 * @return true for a tombstone whose volumes are retained, failed or undeletable, or
	 * left to the operator while a libStorage URL is set (a record written before it was)
	 */
	public boolean keeps(InstanceRecord record) {
		if (!record.removed()) {
			return false;
		}
		return switch (record.volumeState()) {
			case RETAINED, FAILED, UNDELETABLE -> true;
			case LEFT_TO_OPERATOR -> this.store.isPresent();
			case IN_USE, DELETED -> false;
		};
	}

	/**
	 * Say what becomes of the volumes of a tombstone just written, and delete them if
	 * they are due now (a retention of 0). A failure is recorded, never thrown: the
	 * reconciliation tries again.
	 * @param tombstone the tombstone as written
	 */
	public void buried(InstanceRecord tombstone) {
		logger.info("event=volumes_{} instance_id={} volumes={} delete_after={}",
				tombstone.volumeState().name().toLowerCase(Locale.ROOT), tombstone.instanceId(),
				String.join(",", tombstone.volumeNames()),
				(tombstone.volumes() != null) ? tombstone.volumes().deleteAfter() : null);
		if (this.store.isPresent()) {
			this.instances.find(tombstone.instanceId()).ifPresent((current) -> reclaimDue(List.of(current)));
		}
	}

	/**
	 * Count the volumes by state, then delete those whose retention has passed.
	 * @param records every instance record, tombstones included
	 * @return how many instances' volumes were deleted
	 */
	public int reclaim(List<Versioned<InstanceRecord>> records) {
		Map<VolumeState, Integer> counts = new EnumMap<>(VolumeState.class);
		for (Versioned<InstanceRecord> current : records) {
			counts.merge(current.value().volumeState(), current.value().volumeNames().size(), Integer::sum);
		}
		int deleted = reclaimDue(records);
		this.gauges.set(counts);
		return deleted;
	}

	private int reclaimDue(List<Versioned<InstanceRecord>> records) {
		Instant now = this.clock.instant();
		List<Versioned<InstanceRecord>> due = records.stream()
			.filter((current) -> keeps(current.value()) && !dueAt(current.value()).isAfter(now))
			.toList();
		if (due.isEmpty() || this.store.isEmpty()) {
			return 0;
		}
		VolumeStore volumes = this.store.get();
		Map<String, String> errors = new LinkedHashMap<>();
		Map<String, String> listed;
		try {
			listed = volumes.idsByName();
			for (Versioned<InstanceRecord> current : due) {
				for (String name : current.value().volumeNames()) {
					String id = listed.get(name);
					if (id != null) {
						deleteOne(volumes, id, name, current.value().instanceId(), errors);
					}
				}
			}
			listed = volumes.idsByName();
		}
		catch (RuntimeException ex) {
			// the listing failed: nothing is known, every due instance is retried
			logger.warn("event=volumes_unreachable reason=\"{}\"", ex.getMessage());
			due.forEach((current) -> current.value()
				.volumeNames()
				.forEach((name) -> errors.putIfAbsent(name, ex.getMessage())));
			listed = Map.of();
		}
		int deleted = 0;
		for (Versioned<InstanceRecord> current : due) {
			if (record(current, listed, errors, now)) {
				deleted++;
			}
		}
		return deleted;
	}

	private static void deleteOne(VolumeStore volumes, String id, String name, String instanceId,
			Map<String, String> errors) {
		try {
			volumes.delete(id);
		}
		catch (RuntimeException ex) {
			errors.put(name, ex.getMessage());
			logger.warn("event=volume_delete_failed instance_id={} volume={} volume_id={} reason=\"{}\"", instanceId,
					name, id, ex.getMessage());
		}
	}

	// the outcome goes into the tombstone; a write lost to another broker is fine, it
	// did the same
	private boolean record(Versioned<InstanceRecord> current, Map<String, String> listed, Map<String, String> errors,
			Instant now) {
		InstanceRecord record = current.value();
		List<String> names = record.volumeNames();
		List<String> failed = names.stream().filter(errors::containsKey).toList();
		List<String> stillListed = new ArrayList<>(
				names.stream().filter((name) -> listed.containsKey(name) && !errors.containsKey(name)).toList());
		Volumes volumes = (record.volumes() != null) ? record.volumes() : Volumes.inUse(names);
		Volumes outcome;
		if (!failed.isEmpty()) {
			outcome = volumes.to(VolumeState.FAILED, volumes.deleteAfter(),
					"not deleted, retried at the next reconciliation: " + String.join(", ", failed) + " ("
							+ errors.get(failed.get(0)) + ")");
		}
		else if (!stillListed.isEmpty()) {
			outcome = volumes.to(VolumeState.UNDELETABLE, volumes.deleteAfter(),
					"libStorage answered the delete with success but still lists " + String.join(", ", stillListed)
							+ " (REX-Ray with libstorage.integration.volume.operations.remove.disable?); "
							+ "retried at the next reconciliation");
			logger.warn("event=volume_undeletable instance_id={} volumes={}", record.instanceId(),
					String.join(",", stillListed));
		}
		else {
			outcome = volumes.to(VolumeState.DELETED, null, "deleted at " + now + ": " + String.join(", ", names));
			logger.info("event=volumes_deleted instance_id={} volumes={}", record.instanceId(),
					String.join(",", names));
		}
		this.instances.replace(current, record.withVolumes(outcome));
		return outcome.state() == VolumeState.DELETED;
	}

	private Instant dueAt(InstanceRecord record) {
		if (record.volumeState() == VolumeState.LEFT_TO_OPERATOR) {
			// written before a libStorage URL was set: the retention counts from removal
			return record.removedAt().plus(this.retention);
		}
		Instant deleteAfter = (record.volumes() != null) ? record.volumes().deleteAfter() : null;
		return (deleteAfter != null) ? deleteAfter : record.removedAt();
	}

}
