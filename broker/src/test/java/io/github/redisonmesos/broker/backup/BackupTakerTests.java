package io.github.redisonmesos.broker.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.component.LocalPlatform;
import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.redis.TestRedisAcl;
import io.github.redisonmesos.broker.s3.TestS3Stores;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Backups of a real redis-server into the local platform's S3Proxy: complete with the
 * object's size and SHA-256, failed with a description (and no object) when the store is
 * away or the stream is cut, and the oldest deleted beyond the count kept.
 */
@EndToEnd
class BackupTakerTests {

	private static final String ADMIN_PASSWORD = "Adm1nAdm1nAdm1nAdm1nAdm1nAdm1nAdm1nAdm1n";

	private static final String INSTANCE = "5c1d7a10-6c57-4a47-9f0e-0c1f2a3b4c5d";

	private static LocalPlatform platform;

	@TempDir
	Path dir;

	private final TestBroker broker = new TestBroker();

	private final BackupRecords records = TestKvRecords.backups(this.broker.consul, TestBroker.consulProperties(""),
			TestBroker.OBJECT_MAPPER);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<RedisServerProcess> redises = new ArrayList<>();

	private RedisServerProcess redis;

	// the end-to-end classes' shared store (stopped as the JVM ends); this class's
	// objects
	// under a prefix of its own
	@BeforeAll
	static void startStore() throws IOException {
		platform = LocalPlatform.shared();
	}

	@AfterEach
	void stopRedis() {
		this.redises.forEach(RedisServerProcess::close);
	}

	@Test
	void backupIsCompleteWithTheObjectsSizeAndHashAndHoldsEveryKey() throws Exception {
		startRedis(20_000);
		BackupStore store = store(platform.s3());
		BackupTaker taker = taker(store, classProperties(platform.s3(), 7));

		BackupRecord backup = taker.take(instance(), taker.begin(instance()));

		assertThat(backup.state()).isEqualTo(BackupState.COMPLETE);
		assertThat(backup.size()).as("more than one 5 MB part").isGreaterThan(5 * 1024 * 1024);
		assertThat(backup.redisVersion()).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
		assertThat(backup.spaceGuid()).isEqualTo("space-1");
		assertThat(this.records.find(INSTANCE, backup.backupId()).orElseThrow().value()).isEqualTo(backup);
		byte[] object;
		try (InputStream in = store.open(backup.objectKey())) {
			object = in.readAllBytes();
		}
		assertThat(object).hasSize((int) backup.size());
		assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)))
			.isEqualTo(backup.sha256());
		assertThat(keysOf(object)).isEqualTo(20_000);
		assertThat(this.meters.get("broker.backups").tag("outcome", "complete").counter().count()).isEqualTo(1);
	}

	@Test
	void storeAwayGivesAFailedBackupWithADescriptionAndACompleteOneWhenItIsBack() throws Exception {
		startRedis(100);
		String nobody = "http://127.0.0.1:" + FreePorts.next();
		BackupTaker away = taker(store(nobody), classProperties(nobody, 7));

		BackupRecord failed = away.take(instance(), away.begin(instance()));

		assertThat(failed.state()).isEqualTo(BackupState.FAILED);
		assertThat(failed.description()).contains("backup store").contains("did not start an upload");
		assertThat(failed.sha256()).isNull();
		assertThat(this.meters.get("broker.backups").tag("outcome", "failed").counter().count()).isEqualTo(1);
		this.broker.clock.advance(Duration.ofSeconds(1));

		BackupTaker back = taker(store(platform.s3()), classProperties(platform.s3(), 7));
		assertThat(back.take(instance(), back.begin(instance())).state()).isEqualTo(BackupState.COMPLETE);
		assertThat(this.records.list(INSTANCE)).extracting((record) -> record.value().state())
			.containsExactly(BackupState.FAILED, BackupState.COMPLETE);
	}

	@Test
	void streamCutAbortsTheUploadAndLeavesNoObject() throws Exception {
		// 24 MB: more than the loopback's socket buffers hold once the node is killed
		startRedis(60_000);
		BackupStore store = store(platform.s3());
		RdbSource real = TestRedisAcl.rdbSource();
		RdbSource dyingNode = new RdbSource() {
			@Override
			public String stream(RedisAdmin node, OutputStream out) {
				return real.stream(node, new OutputStream() {
					private long written;

					@Override
					public void write(int b) throws IOException {
						write(new byte[] { (byte) b }, 0, 1);
					}

					@Override
					public void write(byte[] b, int off, int len) throws IOException {
						out.write(b, off, len);
						this.written += len;
						if (this.written > 6 * 1024 * 1024 && BackupTakerTests.this.redis.isUp()) {
							// the node dies after the first part went to the store
							BackupTakerTests.this.redis.kill();
						}
					}
				});
			}

			@Override
			public String stream(Replica replica, OutputStream out) {
				return real.stream(replica, out);
			}

			@Override
			public Optional<Replica> replicaInSync(List<RedisAdmin> nodes) {
				return real.replicaInSync(nodes);
			}
		};
		BackupTaker taker = new BackupTaker(classProperties(platform.s3(), 7), provider(store), this.records, dyingNode,
				this.broker.discovery, this.broker.adminPasswords, new BackupMetrics(this.meters, this.broker.clock),
				new BackupRetention(this.records, provider(store), classProperties(platform.s3(), 7),
						Duration.ofDays(7)),
				this.broker.clock);

		BackupRecord backup = taker.take(instance(), taker.begin(instance()));

		assertThat(backup.state()).isEqualTo(BackupState.FAILED);
		assertThat(backup.description()).contains("was cut");
		assertThat(this.records.find(INSTANCE, backup.backupId()).orElseThrow().value().state())
			.isEqualTo(BackupState.FAILED);
		assertThatExceptionOfType(BackupStoreException.class).isThrownBy(() -> store.open(backup.objectKey()))
			.withMessageContaining("missing");
	}

	@Test
	void retentionDeletesTheOldestBeyondTheCountKept() throws Exception {
		startRedis(10);
		BackupStore store = store(platform.s3());
		BackupTaker taker = taker(store, classProperties(platform.s3(), 2));
		List<BackupRecord> taken = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			taken.add(taker.take(instance(), taker.begin(instance())));
			this.broker.clock.advance(Duration.ofSeconds(2));
		}
		assertThat(this.records.list(INSTANCE)).extracting((record) -> record.value().backupId())
			.containsExactly(taken.get(1).backupId(), taken.get(2).backupId());
		assertThatExceptionOfType(BackupStoreException.class)
			.isThrownBy(() -> store.open(taken.get(0).objectKey()).close());
		store.open(taken.get(1).objectKey()).close();
	}

	@Test
	void aBackupWhoseBrokerStoppedIsNeverCompleteAndTheSweepFailsItAndAbortsItsUpload() throws Exception {
		BackupStore store = store(platform.s3());
		BackupsProperties properties = classProperties(platform.s3(), 7);
		BackupTaker taker = taker(store, properties);
		// a broker that began a backup and an upload, then died
		BackupRecord begun = taker.begin(instance());
		BackupStore.Upload upload = store.start(begun.objectKey());
		upload.part(1, new byte[5 * 1024 * 1024], 5 * 1024 * 1024);
		BackupRecord uploading = begun.uploading(null, upload.id());
		assertThat(this.records.replace(this.records.find(INSTANCE, begun.backupId()).orElseThrow(), uploading))
			.isTrue();
		StaleBackups stale = new StaleBackups(this.records, new BackupRunner(taker, this.records), provider(store),
				properties);

		assertThat(stale.sweep(INSTANCE, this.broker.clock.instant().plus(Duration.ofMinutes(59)))).isTrue();
		assertThat(this.records.find(INSTANCE, begun.backupId()).orElseThrow().value().state())
			.isEqualTo(BackupState.RUNNING);

		assertThat(stale.sweep(INSTANCE, this.broker.clock.instant().plus(Duration.ofMinutes(61)))).isFalse();
		BackupRecord swept = this.records.find(INSTANCE, begun.backupId()).orElseThrow().value();
		assertThat(swept.state()).isEqualTo(BackupState.FAILED);
		assertThat(swept.description()).isEqualTo(StaleBackups.STOPPED);
		assertThatExceptionOfType(BackupStoreException.class).as("the upload is gone").isThrownBy(upload::complete);
		assertThatExceptionOfType(BackupStoreException.class).isThrownBy(() -> store.open(begun.objectKey()));
	}

	@Test
	void aDeprovisionedInstancesBackupsAreKeptForTheVolumeRetentionThenDeleted() throws Exception {
		startRedis(10);
		BackupStore store = store(platform.s3());
		BackupsProperties properties = classProperties(platform.s3(), 7);
		BackupRetention retention = new BackupRetention(this.records, provider(store), properties,
				Duration.ofMinutes(10));
		BackupTaker taker = new BackupTaker(properties, provider(store), this.records, TestRedisAcl.rdbSource(),
				this.broker.discovery, this.broker.adminPasswords, new BackupMetrics(this.meters, this.broker.clock),
				retention, this.broker.clock);
		BackupRecord complete = taker.take(instance(), taker.begin(instance()));
		assertThat(complete.state()).isEqualTo(BackupState.COMPLETE);
		this.broker.clock.advance(Duration.ofSeconds(2));
		// and one whose broker died mid-upload, its upload left in the store
		BackupRecord begun = taker.begin(instance());
		BackupStore.Upload upload = store.start(begun.objectKey());
		upload.part(1, new byte[5 * 1024 * 1024], 5 * 1024 * 1024);
		assertThat(this.records.replace(this.records.find(INSTANCE, begun.backupId()).orElseThrow(),
				begun.uploading(null, upload.id())))
			.isTrue();
		RemovedInstance removed = new RemovedInstance(INSTANCE, this.broker.clock.instant());

		assertThat(retention.expire(removed, removed.removedAt().plus(Duration.ofMinutes(9)))).isFalse();
		assertThat(this.records.list(INSTANCE)).hasSize(2);
		store.open(complete.objectKey()).close();
		assertThat(this.records.removed()).as("remembered past its tombstone").containsExactly(removed);

		assertThat(retention.expire(removed, removed.removedAt().plus(Duration.ofMinutes(11)))).isTrue();
		assertThat(this.records.list(INSTANCE)).isEmpty();
		assertThat(this.records.lockOf(INSTANCE)).isEmpty();
		assertThat(this.records.removed()).isEmpty();
		assertThatExceptionOfType(BackupStoreException.class).isThrownBy(() -> store.open(complete.objectKey()).close())
			.withMessageContaining("missing");
		assertThatExceptionOfType(BackupStoreException.class).as("the upload left behind is aborted")
			.isThrownBy(upload::complete);
	}

	@Test
	void theStartUpCheckUploadsAndAbortsAndSaysWhenTheStoreIsAway() throws Exception {
		TestS3Stores.check(store(platform.s3()), prefix());
		try (S3Client s3 = TestS3Stores.client(classProperties(platform.s3(), 7))) {
			assertThat(s3.listObjectsV2((request) -> request.bucket("backups").prefix(prefix() + ".broker-check/"))
				.contents()).as("no object left").isEmpty();
		}
		String away = "http://127.0.0.1:" + FreePorts.next();
		assertThatExceptionOfType(BackupStoreException.class)
			.isThrownBy(() -> TestS3Stores.check(store(away), prefix()))
			.withMessageContaining("The backup store (bucket backups at " + away + ") did not start an upload");
	}

	@Test
	void oneBackupOfAnInstanceAtATimeAcrossBrokersAndALockLeftByADeadBrokerIsTakenOver() throws Exception {
		startRedis(10);
		BackupStore store = store(platform.s3());
		BackupsProperties properties = classProperties(platform.s3(), 7);
		// two brokers: two takers on the same records
		BackupTaker first = taker(store, properties);
		BackupTaker second = taker(store, properties);
		BackupRecord running = first.begin(instance());

		assertThatExceptionOfType(BackupTaker.HeldElsewhere.class).isThrownBy(() -> second.begin(instance()))
			.satisfies((held) -> assertThat(held.running().backupId()).isEqualTo(running.backupId()));
		assertThat(this.records.list(INSTANCE)).hasSize(1);
		// the first broker dies: its lock stays, its backup is running until the sweep
		// or stale-after
		this.broker.clock.advance(Duration.ofMinutes(30));
		assertThatExceptionOfType(BackupTaker.HeldElsewhere.class).isThrownBy(() -> second.begin(instance()));
		this.broker.clock.advance(Duration.ofMinutes(31));
		BackupRecord next = second.begin(instance());
		assertThat(this.records.lockOf(INSTANCE)).get()
			.satisfies((lock) -> assertThat(lock.value().backupId()).isEqualTo(next.backupId()));
		assertThat(second.take(instance(), next).state()).isEqualTo(BackupState.COMPLETE);
		assertThat(this.records.lockOf(INSTANCE)).as("released as the backup ends").isEmpty();
		// a lock whose backup is no longer running (failed by the sweep) is taken over at
		// once
		BackupRecord third = first.begin(instance());
		Versioned<BackupRecord> read = this.records.find(INSTANCE, third.backupId()).orElseThrow();
		assertThat(this.records.replace(read, third.failed(this.broker.clock.instant(), StaleBackups.STOPPED)))
			.isTrue();
		assertThat(second.take(instance(), second.begin(instance())).state()).isEqualTo(BackupState.COMPLETE);
	}

	private void startRedis(int keys) throws IOException {
		int port = FreePorts.next();
		Path data = Files.createDirectories(this.dir.resolve("redis-" + port));
		Files.writeString(data.resolve("users.acl"),
				"user default off\nuser osb-admin on >" + ADMIN_PASSWORD + " ~* &* +@all\n");
		this.redis = RedisServerProcess
			.redisServer(port,
					List.of("--save", "", "--appendonly", "yes", "--dir", data.toString(), "--aclfile",
							data.resolve("users.acl").toString(), "--repl-diskless-sync-delay", "0"))
			.log(data.resolve("redis.log"))
			.user("osb-admin", ADMIN_PASSWORD)
			.start();
		this.redises.add(this.redis);
		try (Jedis jedis = this.redis.admin(); Pipeline pipeline = jedis.pipelined()) {
			// random values: an RDB compresses repeated ones to nothing
			java.util.Random random = new java.util.Random(keys);
			byte[] value = new byte[400];
			for (int i = 0; i < keys; i++) {
				random.nextBytes(value);
				pipeline.set(("key:" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), value.clone());
			}
			pipeline.sync();
		}
		this.broker.consul.passing(ServiceNames.of(INSTANCE), "127.0.0.1", port);
	}

	private InstanceRecord instance() {
		return new InstanceRecord(INSTANCE, TestBroker.SERVICE_ID, TestBroker.SMALL, "org-1", "space-1", Map.of(), 1,
				this.broker.secrets.seal(ADMIN_PASSWORD, InstanceRecord.adminPasswordContext(INSTANCE)), null, null);
	}

	private int keysOf(byte[] rdb) throws IOException {
		int port = FreePorts.next();
		Path data = Files.createDirectories(this.dir.resolve("restored-" + port));
		Files.write(data.resolve("dump.rdb"), rdb);
		RedisServerProcess copy = RedisServerProcess
			.redisServer(port,
					List.of("--save", "", "--appendonly", "no", "--dir", data.toString(), "--user", "default", "off",
							"--user", "check", "on", ">check", "~*", "+@all"))
			.log(data.resolve("redis.log"))
			.user("check", "check")
			.start();
		this.redises.add(copy);
		try (Jedis jedis = copy.admin()) {
			return (int) jedis.dbSize();
		}
	}

	private BackupTaker taker(BackupStore store, BackupsProperties properties) {
		return new BackupTaker(properties, provider(store), this.records, TestRedisAcl.rdbSource(),
				this.broker.discovery, this.broker.adminPasswords, new BackupMetrics(this.meters, this.broker.clock),
				new BackupRetention(this.records, provider(store), properties, Duration.ofDays(7)), this.broker.clock);
	}

	private static BackupStoreProvider provider(BackupStore store) {
		return new BackupStoreProvider(
				new StaticListableBeanFactory(Map.of("store", store)).getBeanProvider(BackupStore.class),
				classProperties("http://unused", 7));
	}

	private static BackupStore store(String endpoint) {
		return TestS3Stores.store(classProperties(endpoint, 7));
	}

	/**
	 * Backup settings for the tests that touch no store (the schedule's, the restore
	 * checks'), with the broker's default key prefix.
	 * @param endpoint the store's URL
	 * @param keep how many complete backups are kept
	 * @return the settings
	 */
	static BackupsProperties properties(String endpoint, int keep) {
		return properties(endpoint, keep, "osb-redis/");
	}

	// this class's: under its own key prefix of the shared platform's store
	private static BackupsProperties classProperties(String endpoint, int keep) {
		return properties(endpoint, keep, prefix());
	}

	private static BackupsProperties properties(String endpoint, int keep, String prefix) {
		return new BackupsProperties(URI.create(endpoint), "us-east-1", "backups", true, "local-platform",
				"local-platform-secret", prefix, Duration.ofHours(24), keep, 2, DataSize.ofMegabytes(5),
				Duration.ofMinutes(1), Duration.ofHours(1));
	}

	private static String prefix() {
		return platform.backupsPrefix(BackupTakerTests.class);
	}

}
