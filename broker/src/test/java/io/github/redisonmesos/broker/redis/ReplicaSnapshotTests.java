package io.github.redisonmesos.broker.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.broker.backup.RdbSource;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An HA backup's snapshot comes from a replica that holds every write the primary had
 * acknowledged when the backup began, with real redis-servers: a replica of another
 * history (an empty one here) is no candidate, and a snapshot whose replication position
 * is behind the primary's is refused, never handed on as a backup.
 */
class ReplicaSnapshotTests {

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
		RedisServerProcess primary = start("primary");
		RedisServerProcess replica = start("replica");
		follow(replica, primary);
		writeAndWait(primary);
		RdbSource.Replica chosen = this.source.replicaInSync(List.of(admin(primary), admin(replica))).orElseThrow();
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
		RedisServerProcess primary = start("primary");
		RedisServerProcess replica = start("replica");
		follow(replica, primary);
		writeAndWait(primary);
		RdbSource.Replica chosen = this.source.replicaInSync(List.of(admin(primary), admin(replica))).orElseThrow();
		RdbSource.Replica otherHistory = new RdbSource.Replica(chosen.node(), "0".repeat(40), 0);

		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.source.stream(otherHistory, new ByteArrayOutputStream()))
			.withMessageContaining("is not complete");
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
		try (Jedis jedis = primary.admin()) {
			assertThat(jedis.waitReplicas(1, 1_500)).isEqualTo(1);
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
		List<String> arguments = new ArrayList<>(
				List.of("--save", "", "--dir", data.toString(), "--aclfile", data.resolve("users.acl").toString()));
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

}
