package io.github.redisonmesos.broker.backup;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.records.Versioned;

/**
 * Where the backup records are kept (Consul KV behind it), by instance. Every change is a
 * check-and-set on the version read.
 */
public interface BackupRecords {

	/**
	 * Read one backup record.
	 * @param instanceId the instance id
	 * @param backupId the backup id
	 * @return the record and its version, empty when there is none
	 */
	Optional<Versioned<BackupRecord>> find(String instanceId, String backupId);

	/**
	 * Every backup record of an instance, oldest first.
	 * @param instanceId the instance id
	 * @return the records and their versions
	 */
	List<Versioned<BackupRecord>> list(String instanceId);

	/**
	 * Create a record.
	 * @param record the record
	 * @return whether this write won (false when one exists)
	 */
	boolean create(BackupRecord record);

	/**
	 * Replace a record still at the version read.
	 * @param current the record as read
	 * @param record the new record
	 * @return whether this write won
	 */
	boolean replace(Versioned<BackupRecord> current, BackupRecord record);

	/**
	 * Delete a record still at the version read.
	 * @param current the record as read
	 * @return whether it was deleted
	 */
	boolean delete(Versioned<BackupRecord> current);

}
