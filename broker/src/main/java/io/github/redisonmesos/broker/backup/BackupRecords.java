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

	/**
	 * Take the instance's backup lock if no one holds it.
	 * @param lock the lock, naming the backup that takes it
	 * @return whether this write won (false when it is held)
	 */
	boolean lock(BackupLock lock);

	/**
	 * Read the instance's backup lock.
	 * @param instanceId the instance id
	 * @return the lock and its version, empty when no backup holds it
	 */
	Optional<Versioned<BackupLock>> lockOf(String instanceId);

	/**
	 * Take over a lock still at the version read (its holder is gone).
	 * @param current the lock as read
	 * @param lock the new holder
	 * @return whether this write won
	 */
	boolean takeOver(Versioned<BackupLock> current, BackupLock lock);

	/**
	 * Release a lock still at the version read.
	 * @param current the lock as read
	 * @return whether it was deleted
	 */
	boolean unlock(Versioned<BackupLock> current);

	/**
	 * Remember that a deprovisioned instance has backups to delete after the retention.
	 * @param removed the instance and when it was removed
	 * @return whether this write created it (false when it exists)
	 */
	boolean markRemoved(RemovedInstance removed);

	/**
	 * The deprovisioned instances whose backups are still to be deleted.
	 * @return each with its removal time
	 */
	List<RemovedInstance> removed();

	/**
	 * Forget a deprovisioned instance once its backups are deleted.
	 * @param instanceId the instance id
	 */
	void unmarkRemoved(String instanceId);

}
