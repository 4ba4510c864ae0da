package io.github.redisonmesos.broker.backup;

import java.time.Instant;

/**
 * One backup of an instance, as the broker records it under
 * {@code <prefix>/backups/<instance-id>/<backup-id>}. Written {@code running} before the
 * first byte is streamed, so a broker that dies mid-stream leaves a record that says so,
 * never one that claims a complete object. Holds no secret.
 *
 * @param instanceId the instance backed up
 * @param backupId the backup's id (sortable by time)
 * @param planId the instance's plan at the time
 * @param spaceGuid the instance's CF space
 * @param redisVersion the version of the Redis the RDB came from
 * @param objectKey the object's key in the store
 * @param uploadId the multipart upload's id while it runs (to abort it)
 * @param state where it stands
 * @param takenAt when the stream started: the moment the backup holds
 * @param finishedAt when it completed or failed; {@code null} while running
 * @param size the object's size in bytes, once complete
 * @param sha256 the object's SHA-256 (hex), once complete
 * @param description why it failed; {@code null} otherwise
 */
public record BackupRecord(String instanceId, String backupId, String planId, String spaceGuid, String redisVersion,
		String objectKey, String uploadId, BackupState state, Instant takenAt, Instant finishedAt, long size,
		String sha256, String description) {

	BackupRecord completed(Instant at, long size, String sha256) {
		return new BackupRecord(this.instanceId, this.backupId, this.planId, this.spaceGuid, this.redisVersion,
				this.objectKey, null, BackupState.COMPLETE, this.takenAt, at, size, sha256, null);
	}

	BackupRecord failed(Instant at, String description) {
		return new BackupRecord(this.instanceId, this.backupId, this.planId, this.spaceGuid, this.redisVersion,
				this.objectKey, null, BackupState.FAILED, this.takenAt, at, 0, null, description);
	}

	BackupRecord uploading(String redisVersion, String uploadId) {
		return new BackupRecord(this.instanceId, this.backupId, this.planId, this.spaceGuid, redisVersion,
				this.objectKey, uploadId, this.state, this.takenAt, this.finishedAt, this.size, this.sha256,
				this.description);
	}

	/**
	 * Where a backup stands; the lower-case name is what users and metrics see.
	 */
	public enum BackupState {

		/**
		 * Streaming now, or cut by a broker that died (then failed at the next sweep).
		 */
		RUNNING,
		/** The object is complete and its size and hash are recorded. */
		COMPLETE,
		/** No usable object: the upload was aborted; the description says why. */
		FAILED

	}

}
