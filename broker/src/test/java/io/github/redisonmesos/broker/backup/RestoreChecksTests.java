package io.github.redisonmesos.broker.backup;

import java.time.Instant;
import java.util.Map;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.osb.UnprocessableException;
import io.github.redisonmesos.broker.s3.TestS3Stores;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The refusals of a restore request that come before the store is read: each with the
 * status and the description that says why. (The hash check, which reads the object, is
 * tested against S3Proxy in {@code BackupsLocalPlatformTests}.)
 */
class RestoreChecksTests {

	private static final String SOURCE = "3f0c1e2d-4b5a-6978-8a9b-0c1d2e3f4a5b";

	private final TestBroker broker = new TestBroker();

	private final BackupRecords records = TestKvRecords.backups(this.broker.consul, TestBroker.consulProperties(""),
			TestBroker.OBJECT_MAPPER);

	// the real S3 store, on a port nobody listens on: none of these checks reaches it
	private final RestoreChecks checks = new RestoreChecks(this.broker.instances, this.records,
			new BackupStoreProvider(new StaticListableBeanFactory(
					Map.of("store", TestS3Stores.store(BackupTakerTests.properties("http://127.0.0.1:9", 7))))
				.getBeanProvider(BackupStore.class), BackupTakerTests.properties("http://127.0.0.1:9", 7)),
			this.broker.catalog);

	@Test
	void aMalformedRequestAnswers400() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.checks.check("latest", "space-1", TestBroker.SMALL))
			.withMessageContaining("restore_from takes");
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(
				() -> this.checks.check(Map.of("instance", SOURCE, "backup", "yesterday"), "space-1", TestBroker.SMALL))
			.withMessageContaining("neither \"latest\" nor a backup id");
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.checks.check(Map.of("instance", SOURCE, "backup", "latest", "into", "x"), "space-1",
					TestBroker.SMALL))
			.withMessageContaining("restore_from takes");
	}

	@Test
	void anIncompleteBackupIsRefused() {
		source();
		this.records.create(backup("20261207T010000Z-aaaaaa", BackupState.FAILED, 100));
		this.records.create(backup("20261207T020000Z-bbbbbb", BackupState.RUNNING, 0));
		assertThatExceptionOfType(UnprocessableException.class)
			.isThrownBy(() -> this.checks.check(Map.of("instance", SOURCE, "backup", "20261207T010000Z-aaaaaa"),
					"space-1", TestBroker.SMALL))
			.withMessageContaining("is failed, not complete");
		assertThatExceptionOfType(UnprocessableException.class).isThrownBy(
				() -> this.checks.check(Map.of("instance", SOURCE, "backup", "latest"), "space-1", TestBroker.SMALL))
			.withMessageContaining("has no complete backup");
	}

	@Test
	void aPlanTooSmallForTheBackupIsRefused() {
		source();
		this.records.create(backup("20261207T010000Z-aaaaaa", BackupState.COMPLETE, 1L << 40));
		assertThatExceptionOfType(UnprocessableException.class).isThrownBy(
				() -> this.checks.check(Map.of("instance", SOURCE, "backup", "latest"), "space-1", TestBroker.SMALL))
			.withMessageContaining("more than plan small has memory for")
			.withMessageContaining("choose a larger plan");
	}

	@Test
	void aSourceInAnotherSpaceIsRefused() {
		source();
		this.records.create(backup("20261207T010000Z-aaaaaa", BackupState.COMPLETE, 100));
		assertThatExceptionOfType(UnprocessableException.class).isThrownBy(
				() -> this.checks.check(Map.of("instance", SOURCE, "backup", "latest"), "space-2", TestBroker.SMALL))
			.withMessageContaining("is in another space");
	}

	private void source() {
		this.broker.instances.create(new InstanceRecord(SOURCE, TestBroker.SERVICE_ID, TestBroker.SMALL, "org-1",
				"space-1", Map.of(), 1, null, null, null));
	}

	private static BackupRecord backup(String id, BackupState state, long size) {
		Instant at = Instant.parse("2026-12-07T01:00:00Z");
		return new BackupRecord(SOURCE, id, TestBroker.SMALL, "space-1", "7.0.15", "osb-redis/" + SOURCE + "/" + id,
				null, state, at, at, size, (state == BackupState.COMPLETE) ? "0".repeat(64) : null, null);
	}

}
