package io.github.redisonmesos.broker.backup;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.backup.BackupStoreProvider.NoBackupStoreException;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.osb.UnprocessableException;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.web.RequestIds;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.stereotype.Component;

/**
 * The checks of a {@code restore_from} request, before anything is created: a well-formed
 * request (400), then a store, a source instance in the same space, a complete backup, a
 * plan large enough for it and an object whose SHA-256 is the recorded one (422). The
 * object is read once, in a stream, to check its hash.
 */
@Component
class RestoreChecks {

	static final String RESTORE_FROM = "restore_from";

	static final String LATEST = "latest";

	private static final String FORM = "restore_from takes {\"instance\": \"<instance guid>\", "
			+ "\"backup\": \"<backup id>\" or \"latest\"}";

	private final InstanceRecords instances;

	private final BackupRecords records;

	private final BackupStoreProvider store;

	private final RedisCatalog catalog;

	RestoreChecks(InstanceRecords instances, BackupRecords records, BackupStoreProvider store, RedisCatalog catalog) {
		this.instances = instances;
		this.records = records;
		this.store = store;
		this.catalog = catalog;
	}

	/**
	 * Check a restore request.
	 * @param restoreFrom the value of {@code restore_from}
	 * @param spaceGuid the space the new instance is created in
	 * @param planId the new instance's plan
	 * @return the backup to restore
	 */
	BackupRecord check(Object restoreFrom, String spaceGuid, String planId) {
		if (!(restoreFrom instanceof Map<?, ?> source) || !Set.of("instance", "backup").containsAll(source.keySet())
				|| !(source.get("instance") instanceof String instanceId)
				|| !(source.get("backup") instanceof String backupId)) {
			throw new BadRequestException(FORM + ".");
		}
		if (!RequestIds.valid(instanceId)) {
			throw new BadRequestException("restore_from.instance " + RequestIds.quote(instanceId)
					+ " is not an instance id: " + RequestIds.RULE + ".");
		}
		if (!LATEST.equals(backupId) && !BackupIds.valid(backupId)) {
			throw new BadRequestException("restore_from.backup " + RequestIds.quote(backupId)
					+ " is neither \"latest\" nor a backup id (like 20261207T012233Z-a1b2c3; "
					+ "cf service <source> --params lists them).");
		}
		BackupStore target;
		try {
			target = this.store.get();
		}
		catch (NoBackupStoreException ex) {
			throw new UnprocessableException(ex.getMessage());
		}
		InstanceRecord instance = this.instances.find(instanceId)
			.map(Versioned::value)
			.orElseThrow(() -> new UnprocessableException("There is no instance " + instanceId
					+ " to restore from (its backups are removed with its record once its retention has passed)."));
		if (spaceGuid == null || !spaceGuid.equals(instance.spaceGuid())) {
			throw new UnprocessableException("Instance " + instanceId
					+ " is in another space: a backup restores only into an instance of the same space.");
		}
		BackupRecord backup = find(instanceId, backupId);
		PlanProperties plan = this.catalog.requirePlan(planId);
		if (backup.size() > plan.maxmemoryBytes()) {
			throw new UnprocessableException(
					"Backup " + backup.backupId() + " holds " + backup.size() + " bytes, more than plan " + plan.name()
							+ " has memory for (maxmemory " + plan.maxmemory() + "); choose a larger plan.");
		}
		String actual = sha256(target, backup);
		if (!actual.equals(backup.sha256())) {
			throw new UnprocessableException("Backup " + backup.backupId() + " does not match its recorded SHA-256 ("
					+ backup.sha256() + "; the store holds " + actual
					+ "): the object changed after the backup, and it is not restored.");
		}
		return backup;
	}

	private BackupRecord find(String instanceId, String backupId) {
		if (LATEST.equals(backupId)) {
			return this.records.list(instanceId)
				.stream()
				.map(Versioned::value)
				.filter((backup) -> backup.state() == BackupState.COMPLETE)
				.max(Comparator.comparing(BackupRecord::takenAt).thenComparing(BackupRecord::backupId))
				.orElseThrow(() -> new UnprocessableException(
						"Instance " + instanceId + " has no complete backup to restore."));
		}
		BackupRecord backup = this.records.find(instanceId, backupId)
			.map(Versioned::value)
			.orElseThrow(() -> new UnprocessableException("Instance " + instanceId + " has no backup " + backupId
					+ " (cf service <source> --params lists its backups)."));
		if (backup.state() != BackupState.COMPLETE) {
			throw new UnprocessableException("Backup " + backupId + " of instance " + instanceId + " is "
					+ backup.state().name().toLowerCase(java.util.Locale.ROOT) + ", not complete: "
					+ "choose a complete one.");
		}
		return backup;
	}

	private static String sha256(BackupStore store, BackupRecord backup) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		try (InputStream in = new DigestInputStream(store.open(backup.objectKey()), digest)) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
		}
		catch (BackupStoreException | IOException ex) {
			throw new ServiceBrokerUnavailableException("The backup store could not be read to check backup "
					+ backup.backupId() + ": " + ex.getMessage() + "; retry later.");
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
