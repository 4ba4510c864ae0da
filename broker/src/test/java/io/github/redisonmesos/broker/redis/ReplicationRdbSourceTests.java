package io.github.redisonmesos.broker.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.redisonmesos.broker.backup.RdbSource;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * RDB snapshots over the replication protocol from a real redis-server: the snapshot
 * loads into another Redis with every key, the node writes no file for it, the backup
 * user may do nothing else and is gone afterwards, and a cut stream is an error. An HA
 * backup's replica holds every write the primary had acknowledged when the backup began:
 * a replica of another history (an empty primary here) is no candidate, and a snapshot
 * whose replication position is behind the primary's is refused, never a backup.
 */
@Execution(ExecutionMode.CONCURRENT)
class ReplicationRdbSourceTests {

	private static final String ADMIN_PASSWORD = "Adm1nAdm1nAdm1nAdm1nAdm1nAdm1nAdm1nAdm1n";

	private static final int KEYS = 500;

	@TempDir
	Path dir;

	private final RdbSource source = TestRedisAcl.rdbSource();

	private final List<RedisServerProcess> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(RedisServerProcess::close);
	}

	@Test
	void snapshotHoldsEveryKeyAndTheNodeWritesNoFileForIt() throws Exception {
		Path data = Files.createDirectories(this.dir.resolve("source"));
		RedisServerProcess redis = start(data, "--appendonly", "yes");
		Map<String, String> written = new TreeMap<>();
		try (Jedis jedis = redis.admin()) {
			for (int i = 0; i < 2000; i++) {
				written.put("key:" + i, "value-" + i + "-".repeat(i % 50));
			}
			written.forEach(jedis::set);
			jedis.hset("a-hash", "field", "value");
		}
		List<String> filesBefore = files(data);

		ByteArrayOutputStream rdb = new ByteArrayOutputStream();
		String version = this.source.stream(admin(redis), rdb);

		assertThat(version).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
		assertThat(new String(rdb.toByteArray(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("REDIS");
		assertThat(files(data)).as("no RDB written on the node's volume").isEqualTo(filesBefore);
		try (Jedis jedis = redis.admin()) {
			assertThat(jedis.aclUsers()).doesNotContain(ReplicationRdbSource.USER);
		}

		Path restored = Files.createDirectories(this.dir.resolve("restored"));
		Files.write(restored.resolve("dump.rdb"), rdb.toByteArray());
		RedisServerProcess copy = start(restored, "--appendonly", "no", "--dbfilename", "dump.rdb");
		try (Jedis jedis = copy.admin()) {
			assertThat(allKeys(jedis)).hasSize(written.size() + 1);
			written.forEach((key, value) -> assertThat(jedis.get(key)).isEqualTo(value));
			assertThat(jedis.hget("a-hash", "field")).isEqualTo("value");
		}
	}

	@Test
	void theBackupUserMayOnlySyncAndTheStreamRunsWithItsRulesAlone() throws Exception {
		RedisServerProcess redis = start(Files.createDirectories(this.dir.resolve("source")), "--appendonly", "no");
		List<String> rulesDuringTheStream = new ArrayList<>();
		OutputStream spy = new OutputStream() {
			@Override
			public void write(byte[] b, int off, int len) {
				write(0);
			}

			@Override
			public void write(int b) {
				if (rulesDuringTheStream.isEmpty()) {
					try (Jedis jedis = redis.admin()) {
						rulesDuringTheStream.add(String.join(" ",
								jedis.aclList()
									.stream()
									.filter((line) -> line.startsWith("user " + ReplicationRdbSource.USER + " "))
									.toList()));
					}
				}
			}
		};
		this.source.stream(admin(redis), spy);
		assertThat(rulesDuringTheStream).singleElement()
			.asString()
			.startsWith("user osb-backup on ")
			.containsPattern(" #[0-9a-f]{64} ")
			.containsPattern("resetchannels -@all (\\+sync \\+replconf|\\+replconf \\+sync)$")
			.doesNotContain("~");
	}

	@Test
	void aNodeNobodyListensOnIsUnavailable() {
		RedisAdmin nobody = new RedisAdmin(new RedisEndpoint("127.0.0.1", FreePorts.next()), "osb-admin",
				ADMIN_PASSWORD);
		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.source.stream(nobody, OutputStream.nullOutputStream()))
			.withMessageNotContaining(ADMIN_PASSWORD);
	}

	@Test
	void aStreamCutByTheNodeIsAnError() throws Exception {
		RedisServerProcess redis = start(Files.createDirectories(this.dir.resolve("source")), "--appendonly", "no");
		try (Jedis jedis = redis.admin()) {
			jedis.set("k", "v".repeat(1000));
		}
		OutputStream cutter = new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				redis.kill();
				throw new IOException("the sink saw the node die");
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				write(0);
			}
		};
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> this.source.stream(admin(redis), cutter));
	}

	@Test
	void aReplicaInSyncGivesASnapshotWithEveryAcknowledgedKey() throws Exception {
		RedisServerProcess primary = start("primary");
		RedisServerProcess replica = start("replica");
		follow(replica, primary);
		writeAndWait(primary);

		RdbSource.Replica chosen = this.source.replicaInSync(List.of(admin(primary), admin(replica))).orElseThrow();

		assertThat(chosen.node()).isEqualTo(admin(replica));
		assertThat(chosen.offset()).isPositive();
		ByteArrayOutputStream rdb = new ByteArrayOutputStream();
		this.source.stream(chosen, rdb);
		assertThat(keysIn(rdb.toByteArray(), "restored")).isEqualTo(KEYS);
	}

	@Test
	void aReplicaLinkedToAnotherPrimaryIsNoReplicaInSync() throws Exception {
		RedisServerProcess primary = start("primary");
		RedisServerProcess empty = start("empty-primary");
		RedisServerProcess replica = start("replica");
		follow(replica, empty);
		write(primary);

		// its link is up, but what it holds is not the primary's data
		assertThat(this.source.replicaInSync(List.of(admin(primary), admin(replica)))).isEmpty();
	}

	@Test
	void aSnapshotBehindThePrimarysOffsetIsRefused() throws Exception {
		RdbSource.Replica chosen = inSyncReplica();
		// the primary acknowledged writes past what the replica's snapshot holds
		RdbSource.Replica ahead = new RdbSource.Replica(chosen.node(), chosen.replicationId(),
				chosen.offset() + 100_000);

		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.source.stream(ahead, new ByteArrayOutputStream()))
			.withMessageContaining("is not complete")
			.withMessageContaining("offset " + (chosen.offset() + 100_000))
			.withMessageNotContaining(ADMIN_PASSWORD);
	}

	@Test
	void aSnapshotOfAnotherReplicationHistoryIsRefused() throws Exception {
		RdbSource.Replica chosen = inSyncReplica();
		RdbSource.Replica otherHistory = new RdbSource.Replica(chosen.node(), "0".repeat(40), 0);

		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.source.stream(otherHistory, new ByteArrayOutputStream()))
			.withMessageContaining("is not complete");
	}

	// a primary with KEYS keys and its replica, chosen in sync
	private RdbSource.Replica inSyncReplica() throws IOException {
		RedisServerProcess primary = start("primary");
		RedisServerProcess replica = start("replica");
		follow(replica, primary);
		writeAndWait(primary);
		return this.source.replicaInSync(List.of(admin(primary), admin(replica))).orElseThrow();
	}

	private void follow(RedisServerProcess replica, RedisServerProcess primary) {
		try (Jedis jedis = replica.admin()) {
			jedis.configSet("masteruser", "osb-admin");
			jedis.configSet("masterauth", ADMIN_PASSWORD);
			jedis.replicaof("127.0.0.1", primary.port());
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (Jedis jedis = replica.admin()) {
				return jedis.info("replication").contains("master_link_status:up");
			}
		});
	}

	private static void writeAndWait(RedisServerProcess primary) {
		write(primary);
		// WAIT blocks past admin()'s 500 ms read timeout while the replica acknowledges
		try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", primary.port()),
				DefaultJedisClientConfig.builder()
					.user("osb-admin")
					.password(ADMIN_PASSWORD)
					.timeoutMillis(10_000)
					.build())) {
			assertThat(jedis.waitReplicas(1, 5_000)).isEqualTo(1);
		}
	}

	// the primary has no replica here: nothing to wait for
	private static void write(RedisServerProcess primary) {
		try (Jedis jedis = primary.admin()) {
			for (int i = 0; i < KEYS; i++) {
				jedis.set("key:" + i, "value-" + i);
			}
		}
	}

	private long keysIn(byte[] rdb, String name) throws IOException {
		Path data = Files.createDirectories(this.dir.resolve(name));
		Files.write(data.resolve("dump.rdb"), rdb);
		try (Jedis jedis = start(data, "--appendonly", "no", "--dbfilename", "dump.rdb").admin()) {
			return jedis.dbSize();
		}
	}

	private RedisServerProcess start(String name) throws IOException {
		return start(Files.createDirectories(this.dir.resolve(name)), "--appendonly", "no");
	}

	private RedisServerProcess start(Path data, String... extra) throws IOException {
		int port = FreePorts.next();
		Files.writeString(data.resolve("users.acl"),
				"user default off\nuser osb-admin on >" + ADMIN_PASSWORD + " ~* &* +@all\n");
		// a replica's full sync and a backup's SYNC start at once, as on an ha node (its
		// template sets 0;
		// Redis's default waits 5 s for more replicas to share the snapshot)
		List<String> arguments = new ArrayList<>(List.of("--save", "", "--dir", data.toString(), "--aclfile",
				data.resolve("users.acl").toString(), "--repl-diskless-sync-delay", "0"));
		arguments.addAll(List.of(extra));
		RedisServerProcess redis = RedisServerProcess.redisServer(port, arguments)
			.log(this.dir.resolve("redis-" + port + ".log"))
			.user("osb-admin", ADMIN_PASSWORD)
			.start();
		this.started.add(redis);
		return redis;
	}

	private static RedisAdmin admin(RedisServerProcess redis) {
		return new RedisAdmin(new RedisEndpoint("127.0.0.1", redis.port()), "osb-admin", ADMIN_PASSWORD);
	}

	private static List<String> files(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.map((file) -> dir.relativize(file).toString()).sorted().toList();
		}
	}

	private static List<String> allKeys(Jedis jedis) {
		List<String> keys = new ArrayList<>();
		String cursor = ScanParams.SCAN_POINTER_START;
		do {
			ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(500));
			keys.addAll(page.getResult());
			cursor = page.getCursor();
		}
		while (!cursor.equals(ScanParams.SCAN_POINTER_START));
		return keys;
	}

}
