package io.github.redisonmesos.broker.backup;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Takes one backup: records it {@code running}, streams an RDB from the instance (an HA
 * instance's replica in sync, never its primary) into a multipart upload, and records it
 * {@code complete} with its size and SHA-256, or aborts the upload and records it
 * {@code failed} with a description. At most {@code broker.backups.concurrency} at once.
 */
@Component
public class BackupTaker {

	private static final Logger logger = LoggerFactory.getLogger(BackupTaker.class);

	private final BackupsProperties properties;

	private final BackupStoreProvider store;

	private final BackupRecords records;

	private final RdbSource rdb;

	private final RedisDiscovery discovery;

	private final AdminPasswords adminPasswords;

	private final BackupMetrics metrics;

	private final BackupRetention retention;

	private final Clock clock;

	private final Semaphore running;

	BackupTaker(BackupsProperties properties, BackupStoreProvider store, BackupRecords records, RdbSource rdb,
			RedisDiscovery discovery, AdminPasswords adminPasswords, BackupMetrics metrics, BackupRetention retention,
			Clock clock) {
		this.properties = properties;
		this.store = store;
		this.records = records;
		this.rdb = rdb;
		this.discovery = discovery;
		this.adminPasswords = adminPasswords;
		this.metrics = metrics;
		this.retention = retention;
		this.clock = clock;
		this.running = new Semaphore(properties.concurrency());
	}

	/**
	 * Record a new backup of an instance as {@code running}, to be taken by
	 * {@link #take}.
	 * @param instance the instance's record
	 * @return the new backup's record
	 */
	public BackupRecord begin(InstanceRecord instance) {
		BackupStore target = this.store.get();
		Instant now = this.clock.instant();
		String backupId = BackupIds.next(now);
		String key = this.properties.prefix() + instance.instanceId() + "/" + backupId + ".rdb";
		BackupRecord record = new BackupRecord(instance.instanceId(), backupId, instance.planId(), instance.spaceGuid(),
				null, key, null, BackupState.RUNNING, now, null, 0, null, null);
		lock(record, now);
		if (!this.records.create(record)) {
			release(record);
			throw new IllegalStateException("A backup " + backupId + " of " + instance.instanceId() + " exists");
		}
		logger.info("backup.begin instance_id={} backup_id={} store={}", instance.instanceId(), backupId,
				target.getClass().getSimpleName());
		return record;
	}

	// one backup of an instance at a time across brokers: the lock, or the backup that
	// holds it (running on another broker) as HeldElsewhere
	private void lock(BackupRecord record, Instant now) {
		BackupLock lock = new BackupLock(record.instanceId(), record.backupId(), now);
		if (this.records.lock(lock)) {
			return;
		}
		Versioned<BackupLock> held = this.records.lockOf(record.instanceId()).orElse(null);
		if (held == null) {
			// released between the two reads: try once more
			if (this.records.lock(lock)) {
				return;
			}
			throw new IllegalStateException("the backup lock of " + record.instanceId() + " changed under the broker");
		}
		BackupLock holder = held.value();
		BackupRecord holding = this.records.find(record.instanceId(), holder.backupId())
			.map(Versioned::value)
			.orElse(null);
		boolean stale = holder.takenAt().plus(this.properties.staleAfter()).isBefore(now);
		boolean gone = (holding != null) ? holding.state() != BackupState.RUNNING : stale;
		if ((gone || stale) && this.records.takeOver(held, lock)) {
			logger.info("backup.lock-taken-over instance_id={} from_backup_id={} backup_id={}", record.instanceId(),
					holder.backupId(), record.backupId());
			return;
		}
		throw new HeldElsewhere((holding != null) ? holding
				: new BackupRecord(record.instanceId(), holder.backupId(), record.planId(), record.spaceGuid(), null,
						null, null, BackupState.RUNNING, holder.takenAt(), null, 0, null, null));
	}

	private void release(BackupRecord backup) {
		try {
			this.records.lockOf(backup.instanceId())
				.filter((held) -> held.value().backupId().equals(backup.backupId()))
				.ifPresent(this.records::unlock);
		}
		catch (RuntimeException ex) {
			// left for the next backup to take over once this one is no longer running
			logger.warn("backup.unlock-failed instance_id={} backup_id={} error={}", backup.instanceId(),
					backup.backupId(), ex.getMessage());
		}
	}

	/**
	 * Take a backup recorded by {@link #begin}, waiting for a free slot.
	 * @param instance the instance's record
	 * @param backup the backup's record
	 * @return the backup's record as it ends, complete or failed
	 */
	public BackupRecord take(InstanceRecord instance, BackupRecord backup) {
		try {
			this.running.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			release(backup);
			return finish(backup, backup.failed(this.clock.instant(), "the broker stopped before the backup began"));
		}
		try {
			return stream(instance, backup);
		}
		finally {
			this.running.release();
			release(backup);
		}
	}

	// Redis is asked for its snapshot first: the store's upload starts (and its id is
	// recorded) on the upload's thread while Redis waits repl-diskless-sync-delay
	private BackupRecord stream(InstanceRecord instance, BackupRecord backup) {
		Instant started = this.clock.instant();
		BackupStore target;
		try {
			target = this.store.get();
		}
		catch (BackupStoreException ex) {
			this.metrics.failed();
			return finish(backup, backup.failed(this.clock.instant(), ex.getMessage()));
		}
		AtomicReference<BackupRecord> uploading = new AtomicReference<>();
		PartedUpload out = new PartedUpload(() -> {
			BackupStore.Upload upload = target.start(backup.objectKey());
			BackupRecord recorded = backup.uploading(null, upload.id());
			if (!replace(backup, recorded)) {
				abort(upload, backup);
				throw new IllegalStateException("the backup's record changed under the broker");
			}
			uploading.set(recorded);
			logger.debug("backup.upload-started instance_id={} backup_id={}", backup.instanceId(), backup.backupId());
			return upload;
		}, Math.toIntExact(this.properties.partSize().toBytes()));
		try {
			String version = snapshot(instance, backup, out);
			logger.debug("backup.streamed instance_id={} backup_id={}", backup.instanceId(), backup.backupId());
			PartedUpload.Written written = out.complete();
			logger.debug("backup.stored instance_id={} backup_id={}", backup.instanceId(), backup.backupId());
			BackupRecord complete = uploading.get()
				.uploading(version, null)
				.completed(this.clock.instant(), written.size(), written.sha256());
			this.metrics.completed(written.size(), Duration.between(started, this.clock.instant()));
			BackupRecord done = finish(uploading.get(), complete);
			this.retention.prune(instance.instanceId());
			return done;
		}
		catch (RuntimeException ex) {
			abort(out, backup);
			this.metrics.failed();
			BackupRecord current = (uploading.get() != null) ? uploading.get() : backup;
			return finish(current, backup.failed(this.clock.instant(), describe(ex)));
		}
		finally {
			// after the abort: a part still being sent is waited for, not cut
			out.close();
		}
	}

	// an HA instance from a replica that holds everything the primary had at this point
	private String snapshot(InstanceRecord instance, BackupRecord backup, OutputStream out) {
		if (!(instance.topology() instanceof InstanceRecord.Ha)) {
			return this.rdb.stream(this.discovery.locate(instance.instanceId())
				.endpoint()
				.map((endpoint) -> this.adminPasswords.admin(instance, endpoint))
				.orElseThrow(() -> new RedisUnavailableException(
						"Redis of instance " + instance.instanceId() + " has no passing health check", false, null)),
					out);
		}
		List<RedisAdmin> nodes = this.discovery.locateHa(instance.instanceId())
			.stream()
			.map((node) -> this.adminPasswords.admin(instance, node.redis()))
			.toList();
		RdbSource.Replica replica = this.rdb.replicaInSync(nodes)
			.orElseThrow(
					() -> new RedisUnavailableException(
							"no replica of HA instance " + instance.instanceId()
									+ " is in sync with its primary; the primary is not loaded with backups",
							false, null));
		logger.info("backup.replica instance_id={} backup_id={} replica={} primary_offset={}", instance.instanceId(),
				backup.backupId(), replica.node().endpoint(), replica.offset());
		return this.rdb.stream(replica, out);
	}

	private void abort(PartedUpload out, BackupRecord backup) {
		try {
			out.abort();
		}
		catch (RuntimeException ex) {
			// the stale-backup sweep aborts it from the record; no object is complete
			logger.warn("backup.abort-failed instance_id={} backup_id={} error={}", backup.instanceId(),
					backup.backupId(), ex.getMessage());
		}
	}

	private void abort(BackupStore.Upload upload, BackupRecord backup) {
		try {
			upload.abort();
		}
		catch (RuntimeException ex) {
			// the stale-backup sweep aborts it from the record; no object is complete
			logger.warn("backup.abort-failed instance_id={} backup_id={} error={}", backup.instanceId(),
					backup.backupId(), ex.getMessage());
		}
	}

	private static String describe(RuntimeException ex) {
		if (ex instanceof BackupStoreException || ex instanceof RedisUnavailableException) {
			return ex.getMessage();
		}
		return "the backup failed: " + ex.getMessage();
	}

	private boolean replace(BackupRecord expected, BackupRecord next) {
		return this.records.find(expected.instanceId(), expected.backupId())
			.filter((current) -> current.value().equals(expected))
			.map((current) -> this.records.replace(current, next))
			.orElse(false);
	}

	private BackupRecord finish(BackupRecord current, BackupRecord next) {
		// another broker's sweep may have failed it meanwhile: the record says what holds
		Versioned<BackupRecord> read = this.records.find(current.instanceId(), current.backupId()).orElse(null);
		if (read == null || !this.records.replace(read, next)) {
			logger.warn("backup.record-lost instance_id={} backup_id={}", current.instanceId(), current.backupId());
		}
		logger.info("backup.{} instance_id={} backup_id={} size={} description={}",
				next.state().name().toLowerCase(java.util.Locale.ROOT), next.instanceId(), next.backupId(), next.size(),
				next.description());
		return next;
	}

	/**
	 * A backup of the instance runs already, on another broker: it is the one asked for.
	 */
	static final class HeldElsewhere extends RuntimeException {

		private final transient BackupRecord running;

		HeldElsewhere(BackupRecord running) {
			super("backup " + running.backupId() + " of " + running.instanceId() + " runs on another broker");
			this.running = running;
		}

		BackupRecord running() {
			return this.running;
		}

	}

}
