package io.github.redisonmesos.broker.backup;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Runs backups in the background, on demand and on schedule: one at a time per instance
 * (a backup asked for while one runs is that one), and at most
 * {@code broker.backups.concurrency} streaming at once ({@link BackupTaker}).
 */
@Component
class BackupRunner implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(BackupRunner.class);

	private final BackupTaker taker;

	private final BackupRecords records;

	private final Set<String> running = ConcurrentHashMap.newKeySet();

	private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());

	BackupRunner(BackupTaker taker, BackupRecords records) {
		this.taker = taker;
		this.records = records;
	}

	/**
	 * Start a backup of an instance, or find the one running.
	 * @param instance the instance's record
	 * @return the backup's record as it starts
	 */
	BackupRecord start(InstanceRecord instance) {
		String instanceId = instance.instanceId();
		if (!this.running.add(instanceId)) {
			return this.records.list(instanceId)
				.stream()
				.map((record) -> record.value())
				.filter((record) -> record.state() == BackupState.RUNNING)
				.reduce((first, second) -> second)
				.orElseGet(() -> start(instance));
		}
		try {
			BackupRecord backup;
			try {
				backup = this.taker.begin(instance);
			}
			catch (BackupTaker.HeldElsewhere ex) {
				// a backup asked for while another broker takes one is that one
				this.running.remove(instanceId);
				return ex.running();
			}
			this.executor.execute(() -> {
				try {
					this.taker.take(instance, backup);
				}
				catch (RuntimeException ex) {
					logger.warn("backup.error instance_id={} backup_id={} error={}", instanceId, backup.backupId(),
							ex.getMessage());
				}
				finally {
					this.running.remove(instanceId);
				}
			});
			return backup;
		}
		catch (RuntimeException ex) {
			this.running.remove(instanceId);
			throw ex;
		}
	}

	/**
	 * Whether this broker is taking a backup of an instance now.
	 * @param instanceId the instance id
	 * @return true while one runs here
	 */
	boolean running(String instanceId) {
		return this.running.contains(instanceId);
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("backup-");
		threads.setDaemon(true);
		return threads;
	}

	@Override
	public void destroy() {
		// a backup cut here stays "running" until the stale sweep fails it and aborts its
		// upload: never complete
		this.executor.shutdownNow();
	}

}
