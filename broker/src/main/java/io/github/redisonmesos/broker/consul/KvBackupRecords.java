package io.github.redisonmesos.broker.consul;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.backup.BackupLock;
import io.github.redisonmesos.broker.backup.BackupRecord;
import io.github.redisonmesos.broker.backup.BackupRecords;
import io.github.redisonmesos.broker.backup.RemovedInstance;
import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.stereotype.Component;

/**
 * {@link BackupRecords} in Consul KV, under
 * {@code <prefix>/backups/<instance-id>/<backup-id>}.
 */
@Component
class KvBackupRecords implements BackupRecords {

	private final KvRecords records;

	KvBackupRecords(KvRecords records) {
		this.records = records;
	}

	@Override
	public Optional<Versioned<BackupRecord>> find(String instanceId, String backupId) {
		return this.records.read(key(instanceId, backupId), BackupRecord.class);
	}

	@Override
	public List<Versioned<BackupRecord>> list(String instanceId) {
		return this.records.list(this.records.backupsOf(instanceId))
			.stream()
			.map(KvKey::name)
			.sorted()
			.map((backupId) -> find(instanceId, backupId))
			.flatMap(Optional::stream)
			.sorted(Comparator.comparing((Versioned<BackupRecord> record) -> record.value().takenAt())
				.thenComparing((record) -> record.value().backupId()))
			.toList();
	}

	@Override
	public boolean create(BackupRecord record) {
		return this.records.create(key(record.instanceId(), record.backupId()), record);
	}

	@Override
	public boolean replace(Versioned<BackupRecord> current, BackupRecord record) {
		return this.records.replace(key(record.instanceId(), record.backupId()), current.version(), record);
	}

	@Override
	public boolean delete(Versioned<BackupRecord> current) {
		return this.records.delete(key(current.value().instanceId(), current.value().backupId()), current.version());
	}

	@Override
	public boolean lock(BackupLock lock) {
		return this.records.create(this.records.backupLockKey(lock.instanceId()), lock);
	}

	@Override
	public Optional<Versioned<BackupLock>> lockOf(String instanceId) {
		return this.records.read(this.records.backupLockKey(instanceId), BackupLock.class);
	}

	@Override
	public boolean takeOver(Versioned<BackupLock> current, BackupLock lock) {
		return this.records.replace(this.records.backupLockKey(lock.instanceId()), current.version(), lock);
	}

	@Override
	public boolean unlock(Versioned<BackupLock> current) {
		return this.records.delete(this.records.backupLockKey(current.value().instanceId()), current.version());
	}

	@Override
	public boolean markRemoved(RemovedInstance removed) {
		return this.records.create(this.records.removedKey(removed.instanceId()), removed);
	}

	@Override
	public List<RemovedInstance> removed() {
		return this.records.list(this.records.removedFolder())
			.stream()
			.map((key) -> this.records.read(key, RemovedInstance.class))
			.flatMap(Optional::stream)
			.map(Versioned::value)
			.toList();
	}

	@Override
	public void unmarkRemoved(String instanceId) {
		KvKey key = this.records.removedKey(instanceId);
		this.records.read(key, RemovedInstance.class).ifPresent((read) -> this.records.delete(key, read.version()));
	}

	private KvKey key(String instanceId, String backupId) {
		return this.records.backupsOf(instanceId).child(backupId);
	}

}
