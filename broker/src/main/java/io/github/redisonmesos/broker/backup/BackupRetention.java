package io.github.redisonmesos.broker.backup;

import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	BackupRetention(BackupRecords records, BackupStoreProvider store, BackupsProperties properties) {
		this.records = records;
		this.store = store;
		this.keep = properties.keep();
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

	private void delete(Versioned<BackupRecord> old) {
		if (old.value().state() == BackupState.COMPLETE) {
			this.store.get().delete(old.value().objectKey());
		}
		if (this.records.delete(old)) {
			logger.info("backup.deleted instance_id={} backup_id={} reason=retention", old.value().instanceId(),
					old.value().backupId());
		}
	}

}
