package io.github.redisonmesos.broker.s3;

import io.github.redisonmesos.broker.backup.BackupStore;
import io.github.redisonmesos.broker.backup.BackupsProperties;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 backup store outside a Spring context, as the broker's configuration
 * does.
 */
public final class TestS3Stores {

	private TestS3Stores() {
	}

	/**
	 * The broker's S3 client for these settings, for a test to reach behind the store.
	 */
	public static S3Client client(BackupsProperties properties) {
		return new S3Configuration().backupsS3Client(properties);
	}

	public static BackupStore store(BackupsProperties properties) {
		S3Configuration configuration = new S3Configuration();
		return configuration.s3BackupStore(configuration.backupsS3Client(properties),
				configuration.backupsS3Presigner(properties), properties);
	}

	/**
	 * The start-up check of a store made by {@link #store}.
	 */
	public static void check(BackupStore store, String prefix) {
		((S3BackupStore) store).check(prefix);
	}

}
