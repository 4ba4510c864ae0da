package io.github.redisonmesos.broker.backup;

import java.time.Instant;

/**
 * Which backup of an instance holds the instance, across brokers: one record under
 * {@code <prefix>/backup-locks/<instance-id>}, created with check-and-set ({@code cas=0})
 * so that of two brokers asked at once exactly one streams; deleted by the broker that
 * holds it when its backup ends. A broker killed while holding it leaves it: the next one
 * takes it over once the backup it names is no longer running (the stale sweep fails it)
 * or began more than {@code broker.backups.stale-after} ago.
 *
 * @param instanceId the instance
 * @param backupId the backup that holds it
 * @param takenAt when that backup began
 */
public record BackupLock(String instanceId, String backupId, Instant takenAt) {

}
