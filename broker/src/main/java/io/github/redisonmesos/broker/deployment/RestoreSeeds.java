package io.github.redisonmesos.broker.deployment;

/**
 * Where a restored instance's first start gets its backup from.
 */
public interface RestoreSeeds {

	/**
	 * The seed of a backup: a fresh pre-signed URL of its object, and its hash.
	 * @param sourceInstanceId the instance the backup was taken of
	 * @param backupId the backup's id
	 * @return the seed
	 * @throws org.springframework.cloud.servicebroker.exception.ServiceBrokerException
	 * when the backup is no longer complete (deleted by the retention since the restore
	 * was asked for) or no store is configured
	 */
	RestoreSeed seed(String sourceInstanceId, String backupId);

}
