package io.github.redisonmesos.broker.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Backs every ready instance up once per {@code broker.backups.interval}, each at an
 * offset of its own within the interval (from its id), so that a thousand instances do
 * not stream at once; a failed backup is retried in the next interval. Each tick also
 * sets the age of each instance's newest complete backup.
 */
@Component
class BackupSchedule {

	private static final Logger logger = LoggerFactory.getLogger(BackupSchedule.class);

	private final InstanceRecords instances;

	private final BackupRecords records;

	private final BackupRunner runner;

	private final StaleBackups stale;

	private final BackupStoreProvider store;

	private final BackupMetrics metrics;

	private final BackupRetention retention;

	private final Duration interval;

	private final Clock clock;

	private final Instant started;

	BackupSchedule(InstanceRecords instances, BackupRecords records, BackupRunner runner, StaleBackups stale,
			BackupStoreProvider store, BackupMetrics metrics, BackupRetention retention, BackupsProperties properties,
			Clock clock) {
		this.retention = retention;
		this.instances = instances;
		this.records = records;
		this.runner = runner;
		this.stale = stale;
		this.store = store;
		this.metrics = metrics;
		this.interval = properties.interval();
		this.clock = clock;
		this.started = clock.instant();
	}

	@Scheduled(initialDelayString = "${broker.backups.tick:1m}", fixedDelayString = "${broker.backups.tick:1m}")
	void tick() {
		if (!this.store.configured()) {
			return;
		}
		Instant now = this.clock.instant();
		Map<String, Instant> newest = new HashMap<>();
		Set<String> known = new HashSet<>();
		for (Versioned<InstanceRecord> versioned : this.instances.all()) {
			InstanceRecord instance = versioned.value();
			known.add(instance.instanceId());
			if (instance.removed()) {
				expire(new RemovedInstance(instance.instanceId(), instance.removedAt()), now);
				continue;
			}
			try {
				List<BackupRecord> backups = this.records.list(instance.instanceId())
					.stream()
					.map(Versioned::value)
					.toList();
				backups.stream()
					.filter((backup) -> backup.state() == BackupState.COMPLETE)
					.map(BackupRecord::takenAt)
					.max(Instant::compareTo)
					.ifPresent((taken) -> newest.put(instance.instanceId(), taken));
				boolean running = this.stale.sweep(instance.instanceId(), now);
				if (!running && instance.ready() && !instance.operation().inProgress() && due(instance, backups, now)) {
					this.runner.start(instance);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("backup.schedule-error instance_id={} error={}", instance.instanceId(), ex.getMessage());
			}
		}
		this.metrics.newest(newest);
		// instances whose tombstone the broker has forgotten: their backups still go
		// after
		// the retention
		try {
			this.records.removed()
				.stream()
				.filter((removed) -> !known.contains(removed.instanceId()))
				.forEach((removed) -> expire(removed, now));
		}
		catch (RuntimeException ex) {
			logger.warn("backup.expire-error error={}", ex.getMessage());
		}
	}

	private void expire(RemovedInstance removed, Instant now) {
		try {
			this.retention.expire(removed, now);
		}
		catch (RuntimeException ex) {
			logger.warn("backup.expire-error instance_id={} error={}", removed.instanceId(), ex.getMessage());
		}
	}

	// due once per interval, from the instance's own offset within it
	boolean due(InstanceRecord instance, List<BackupRecord> backups, Instant now) {
		long period = this.interval.toMillis();
		long offset = Math.floorMod((long) instance.instanceId().hashCode() * 7919L, period);
		long windowStart = now.toEpochMilli() - Math.floorMod(now.toEpochMilli() - offset, period);
		Instant last = backups.stream().map(BackupRecord::takenAt).max(Instant::compareTo).orElse(null);
		Instant since = (last != null) ? last : this.started;
		return since.toEpochMilli() < windowStart;
	}

}
