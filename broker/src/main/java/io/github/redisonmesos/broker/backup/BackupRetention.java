package io.github.redisonmesos.broker.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.instance.volumes.VolumesProperties;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps an instance's newest {@code broker.backups.keep} complete backups (and as many
 * failed records, so the reasons stay readable) and deletes the older ones: the object
 * first, then its record, so a record never points at nothing it claims.
 */
@Component
class BackupRetention {

	private static final Logger logger = LoggerFactory.getLogger(BackupRetention.class);

	private final BackupRecords records;

	private final BackupStoreProvider store;

	private final int keep;

	private final Duration afterRemoval;

	@Autowired
	BackupRetention(BackupRecords records, BackupStoreProvider store, BackupsProperties properties,
			VolumesProperties volumes) {
		this(records, store, properties, volumes.retention());
	}

	/**
	 * The retention.
	 * @param records the backup records
	 * @param store the store
	 * @param properties {@code BROKER_BACKUPS_KEEP}
	 * @param afterRemoval how long a deprovisioned instance's backups are kept: its
	 * volumes' retention ({@code BROKER_VOLUMES_RETENTION})
	 */
	BackupRetention(BackupRecords records, BackupStoreProvider store, BackupsProperties properties,
			Duration afterRemoval) {
		this.records = records;
		this.store = store;
		this.keep = properties.keep();
		this.afterRemoval = afterRemoval;
	}

	void prune(String instanceId) {
		List<Versioned<BackupRecord>> all = this.records.list(instanceId);
		for (BackupState state : List.of(BackupState.COMPLETE, BackupState.FAILED)) {
			List<Versioned<BackupRecord>> ofState = new ArrayList<>(
					all.stream().filter((record) -> record.value().state() == state).toList());
			// oldest first: ids sort by time
			for (int i = 0; i < ofState.size() - this.keep; i++) {
				delete(ofState.get(i));
			}
		}
	}

	/**
	 * Delete every backup of a deprovisioned instance (objects, uploads left behind, then
	 * records) once its volumes' retention has passed since the deprovision: until then
	 * they are kept, as its volumes are, to recover a deprovision made by mistake, and
	 * the instance is remembered as {@link RemovedInstance} so that this happens even
	 * after its tombstone is forgotten.
	 * @param removed the instance and when its deprovision finished
	 * @param now the time
	 * @return whether its backups were due (and are gone unless a delete failed: retried
	 * at the next tick)
	 */
	boolean expire(RemovedInstance removed, Instant now) {
		String instanceId = removed.instanceId();
		if (removed.removedAt().plus(this.afterRemoval).isAfter(now)) {
			if (!this.records.list(instanceId).isEmpty()) {
				this.records.markRemoved(removed);
			}
			return false;
		}
		for (Versioned<BackupRecord> backup : this.records.list(instanceId)) {
			delete(backup, "instance-removed");
		}
		this.records.lockOf(instanceId).ifPresent(this.records::unlock);
		this.records.unmarkRemoved(instanceId);
		return true;
	}

	private void delete(Versioned<BackupRecord> old) {
		delete(old, "retention");
	}

	private void delete(Versioned<BackupRecord> old, String reason) {
		BackupRecord backup = old.value();
		if (backup.state() == BackupState.COMPLETE) {
			this.store.get().delete(backup.objectKey());
		}
		else if (backup.uploadId() != null) {
			this.store.get().abort(backup.objectKey(), backup.uploadId());
		}
		if (this.records.delete(old)) {
			logger.info("backup.deleted instance_id={} backup_id={} reason={}", backup.instanceId(), backup.backupId(),
					reason);
		}
	}

}
