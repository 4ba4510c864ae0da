package io.github.redisonmesos.broker.backup;

import java.time.Instant;

/**
 * A deprovisioned instance whose backups are kept until its volumes' retention has
 * passed, under {@code <prefix>/backups-removed/<instance-id>}: written the first time
 * the schedule sees the instance's tombstone, so that its backups are deleted on time
 * even after the broker has forgotten the tombstone
 * ({@code broker.provision.remember-removed}).
 *
 * @param instanceId the instance
 * @param removedAt when its deprovision finished
 */
public record RemovedInstance(String instanceId, Instant removedAt) {

}
