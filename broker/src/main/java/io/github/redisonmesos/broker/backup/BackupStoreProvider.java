package io.github.redisonmesos.broker.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The backup store when one is configured; without one the broker says so once at
 * start-up and every request for a backup or a restore answers why.
 */
@Component
public class BackupStoreProvider {

	private static final Logger logger = LoggerFactory.getLogger(BackupStoreProvider.class);

	static final String NOT_CONFIGURED = "No backup store is configured on this broker: the operator sets "
			+ "BROKER_BACKUPS_BUCKET (and BROKER_BACKUPS_ENDPOINT, BROKER_BACKUPS_ACCESS_KEY_ID, "
			+ "BROKER_BACKUPS_SECRET_ACCESS_KEY for a store other than AWS S3)";

	private final ObjectProvider<BackupStore> store;

	private final BackupsProperties properties;

	BackupStoreProvider(ObjectProvider<BackupStore> store, BackupsProperties properties) {
		this.store = store;
		this.properties = properties;
	}

	/**
	 * Whether backups can be taken.
	 * @return true with a store configured
	 */
	public boolean configured() {
		return this.store.getIfAvailable() != null;
	}

	BackupStore get() {
		BackupStore configured = this.store.getIfAvailable();
		if (configured == null) {
			throw new NoBackupStoreException(NOT_CONFIGURED);
		}
		return configured;
	}

	@EventListener(ApplicationReadyEvent.class)
	void sayOnce() {
		if (configured()) {
			logger.info("backups.enabled {}", this.properties);
		}
		else {
			logger.info("backups.disabled reason=\"{}\"", NOT_CONFIGURED);
		}
	}

	/**
	 * A backup or a restore was asked of a broker without a store.
	 */
	public static class NoBackupStoreException extends RuntimeException {

		NoBackupStoreException(String message) {
			super(message);
		}

	}

}
