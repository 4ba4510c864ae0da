package io.github.redisonmesos.broker.backup;

import java.time.Duration;
import java.time.Instant;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Backups left {@code running} by a broker that stopped mid-stream: after
 * {@code broker.backups.stale-after} their upload is aborted (the store drops its parts)
 * and they are recorded failed. Such a backup was never listed complete.
 */
@Component
class StaleBackups {

	private static final Logger logger = LoggerFactory.getLogger(StaleBackups.class);

	static final String STOPPED = "the broker taking it stopped before it finished; its upload was aborted";

	private final BackupRecords records;

	private final BackupRunner runner;

	private final BackupStoreProvider store;

	private final Duration staleAfter;

	StaleBackups(BackupRecords records, BackupRunner runner, BackupStoreProvider store, BackupsProperties properties) {
		this.records = records;
		this.runner = runner;
		this.store = store;
		this.staleAfter = properties.staleAfter();
	}

	/**
	 * Fail an instance's stale running backups.
	 * @param instanceId the instance id
	 * @param now the time
	 * @return whether a backup of the instance is still running (here or on another
	 * broker)
	 */
	boolean sweep(String instanceId, Instant now) {
		if (this.runner.running(instanceId)) {
			return true;
		}
		boolean running = false;
		for (Versioned<BackupRecord> versioned : this.records.list(instanceId)) {
			BackupRecord backup = versioned.value();
			if (backup.state() != BackupState.RUNNING) {
				continue;
			}
			if (backup.takenAt().plus(this.staleAfter).isAfter(now)) {
				running = true;
				continue;
			}
			if (backup.uploadId() != null) {
				this.store.get().abort(backup.objectKey(), backup.uploadId());
			}
			if (this.records.replace(versioned, backup.failed(now, STOPPED))) {
				logger.info("backup.failed instance_id={} backup_id={} description=\"{}\"", instanceId,
						backup.backupId(), STOPPED);
			}
		}
		return running;
	}

}
