package io.github.redisonmesos.broker.backup;

import java.time.Duration;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.backup.BackupStoreProvider.NoBackupStoreException;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import io.github.redisonmesos.broker.deployment.RestoreSeeds;
import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.stereotype.Component;

/**
 * The seed of a restored instance: a pre-signed GET of its backup's object, made each
 * time the app that creates the instance is rendered, valid for {@link #VALIDITY}; it
 * reads that one object and nothing else, and lives in Marathon's app definition until
 * the broker redeploys the app without it (README, Backups and restore).
 */
@Component
class RestoreUrls implements RestoreSeeds {

	/**
	 * How long a restore's URL reads: long enough for Marathon to place the task and the
	 * fetcher to download a large backup, short enough to be worthless soon after.
	 */
	static final Duration VALIDITY = Duration.ofMinutes(15);

	private final BackupRecords records;

	private final BackupStoreProvider store;

	RestoreUrls(BackupRecords records, BackupStoreProvider store) {
		this.records = records;
		this.store = store;
	}

	@Override
	public RestoreSeed seed(String sourceInstanceId, String backupId) {
		BackupRecord backup = this.records.find(sourceInstanceId, backupId)
			.map(Versioned::value)
			.filter((found) -> found.state() == BackupState.COMPLETE)
			.orElseThrow(() -> new ServiceBrokerException("Backup " + backupId + " of instance " + sourceInstanceId
					+ " is no longer complete in the store (deleted by the retention since the restore was asked "
					+ "for?): this instance cannot be filled from it; delete it and restore another backup."));
		try {
			return new RestoreSeed(backup.backupId(),
					this.store.get().presignedGet(backup.objectKey(), VALIDITY).toString(), backup.sha256());
		}
		catch (NoBackupStoreException ex) {
			throw new ServiceBrokerException(ex.getMessage());
		}
	}

}
