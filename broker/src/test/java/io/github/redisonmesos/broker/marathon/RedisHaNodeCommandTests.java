package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.redis.TestRedisHa;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.support.HaNodeTemplate;
import io.github.redisonmesos.testsupport.FreePorts;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the HA node template's {@code cmd} three times, one per node, the way a Mesos
 * executor would ({@code sh -c} with {@code PORT0}, {@code PORT1}, {@code HOST},
 * {@code MESOS_SANDBOX} and the app's env), against Debian's real redis-server, on
 * 127.0.0.1 only. The test plays the broker: it renders the template by plain placeholder
 * substitution and hands each node the internal passwords through the admin user, as
 * docs/HA-NODE.md describes.
 */
class RedisHaNodeCommandTests {

	private static final String INSTANCE_ID = "5f0c2a9e-3d1b-4e8f-9a47-1c6b2d8e0f35";

	private static final String MASTER_NAME = "osb-" + INSTANCE_ID;

	private static final String ADMIN = "osb-admin";

	private static final int DOWN_AFTER_MS = 1000;

	private static final int FAILOVER_TIMEOUT_MS = 3000;

	/**
	 * Sentinel's down-after, its election and promotion, and the replica's reconnection.
	 */
	private static final Duration FAILOVER_BOUND = Duration.ofMillis(DOWN_AFTER_MS + 2L * FAILOVER_TIMEOUT_MS);

	private static final Duration START_BOUND = Duration.ofSeconds(20);

	private final Passwords passwords = new Passwords();

	private final String adminPassword = this.passwords.generate();

	private final String replicationPassword = this.passwords.generate();

	private final String sentinelPassword = this.passwords.generate();

	private final String appPassword = this.passwords.generate();

	private final List<Node> nodes = new ArrayList<>();

	private final RedisHa ha = TestRedisHa.create();

	@TempDir
	Path sandboxes;

	@AfterEach
	void stopNodes() {
		this.nodes.forEach(Node::destroy);
	}

	@Test
	void aKilledPrimaryIsReplacedByAReplicaAndComesBackAsAReplicaWithTheUsersItMissed() throws Exception {
		Node first = startThreeNodes(DOWN_AFTER_MS);
		createUserEverywhere(this.nodes, "unbound", this.passwords.generate());
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);

		long sentinelPid = first.sentinelPid();
		long killedAt = System.nanoTime();
		first.killRedis();
		AtomicLong acceptedAt = new AtomicLong();
		List<Node> survivors = this.nodes.subList(1, 3);
		awaitUntil("a promoted replica accepts an acknowledged write", FAILOVER_BOUND, () -> {
			Node primary = primaryNamedBy(survivors.get(0));
			if (primary == null || primary == first || !writeAcknowledged(primary, "after-kill")) {
				return false;
			}
			acceptedAt.set(System.nanoTime());
			acknowledged.add("after-kill");
			return true;
		});
		long failoverMs = TimeUnit.NANOSECONDS.toMillis(acceptedAt.get() - killedAt);
		System.out.println("kill -9 of the primary to the first acknowledged write: " + failoverMs + " ms");
		assertThat(Duration.ofMillis(failoverMs)).isLessThan(FAILOVER_BOUND);
		awaitUntil("node-0's task ends when its redis-server dies", () -> !first.process.isAlive());
		assertThat(first.process.exitValue()).isNotZero();
		assertThat(ProcessHandle.of(sentinelPid).filter(ProcessHandle::isAlive)).isEmpty();

		Node promoted = primaryNamedBy(survivors.get(0));
		HaState whileDown = this.ha.state(access(this.nodes));
		assertThat(whileDown.primary()).contains(new RedisEndpoint("127.0.0.1", promoted.port));
		assertThat(whileDown.whole()).isFalse();
		assertThat(whileDown.missing()).contains("1 of 2 replicas in sync", "2 of 3 Sentinels with a quorum");
		acknowledged.addAll(writeAcknowledged(promoted, "during-", 20));
		createUserEverywhere(survivors, "late", this.appPassword);
		deleteUserEverywhere(survivors, "unbound");

		first.start();
		awaitUntil("node-0 comes back as a replica of the promoted node", () -> "slave".equals(first.role())
				&& first.primaryPort() == promoted.port && first.info().contains("master_link_status:up"));
		awaitUntil("node-0's Sentinel follows the promoted node",
				() -> primaryNamedBy(first) == promoted && first.ckquorum().startsWith("OK 3 usable Sentinels"));
		awaitUntil("the promoted node has two replicas in sync", () -> inSync(promoted, 2));
		awaitUntil("the broker sees the instance whole again", () -> this.ha.state(access(this.nodes)).whole());
		assertEveryNodeHas(acknowledged);
		try (Jedis admin = first.admin()) {
			assertThat(admin.aclGetUser("late")).as("a user created while node-0 was down").isNotNull();
			assertThat(admin.aclGetUser("unbound")).as("a user deleted while node-0 was down").isNull();
			assertThat(admin.configGet("replica-priority")).containsEntry("replica-priority", "100");
		}
		try (Jedis late = first.connect(first.port, "late", this.appPassword)) {
			assertThat(late.ping()).isEqualTo("PONG");
		}

		List<String> secrets = List.of(this.adminPassword, this.replicationPassword, this.sentinelPassword,
				this.appPassword);
		for (Node node : this.nodes) {
			assertThat(node.app.toString()).doesNotContain(secrets);
		}
		assertThat(commandLines()).noneMatch((line) -> secrets.stream().anyMatch(line::contains));
		// the internal passwords live in these files, on the node's own volume only
		for (Node node : this.nodes) {
			for (String file : List.of("redis.conf", "sentinel.conf", "users.acl")) {
				assertThat(Files.getPosixFilePermissions(node.volume().resolve(file))).as(file)
					.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
			}
		}
	}

	@Test
	void aPrimaryRestartedBeforeTheFailoverWaitsForItAndJoinsThePromotedReplica() throws Exception {
		// down-after longer than the task takes to end and start again
		Node first = startThreeNodes(3000);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		first.killRedis();
		awaitUntil("node-0's task ends", () -> !first.process.isAlive());
		first.start();
		awaitUntil("node-0 comes back as a replica", Duration.ofSeconds(30),
				() -> "slave".equals(first.role()) && first.info().contains("master_link_status:up"));
		assertThat(first.sandbox.resolve("stdout")).content()
			.contains("the Sentinels still name this node the primary");
		Node promoted = primaryNamedBy(this.nodes.get(1));
		assertThat(promoted).isNotSameAs(first);
		assertThat(first.primaryPort()).isEqualTo(promoted.port);
		awaitUntil("the promoted node has two replicas in sync", () -> inSync(promoted, 2));
		awaitUntil("the broker sees the instance whole again", () -> this.ha.state(access(this.nodes)).whole());
		assertEveryNodeHas(acknowledged);
	}

	@Test
	void threeNodesStoppedTogetherComeBackWithTheLastPrimaryAndTheirData() throws Exception {
		Node first = startThreeNodes(DOWN_AFTER_MS);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		for (Node node : this.nodes) {
			node.process.destroy();
		}
		for (Node node : this.nodes) {
			awaitUntil("node-" + node.index + " stops", () -> !node.process.isAlive());
		}
		// no Sentinel runs: each node's own Sentinel file is all there is to go by
		for (int n = 2; n >= 0; n--) {
			this.nodes.get(n).start();
		}
		awaitUntil("node-0 is the primary again, with two replicas in sync", Duration.ofSeconds(30),
				() -> inSync(first, 2));
		assertEveryNodeHas(acknowledged);
	}

	@Test
	void aTaskEndsNonZeroWhenItsSentinelDiesAndStopsBothProcessesOnSigterm() throws Exception {
		List<Integer> ports = Stream.generate(FreePorts::next).limit(6).toList();
		Node lonely = new Node(0, this.sandboxes.resolve("a"), ports.get(0), ports.get(1),
				render(0, ports, DOWN_AFTER_MS));
		this.nodes.add(lonely);
		lonely.start();
		awaitUntil("a lone node-0 bootstraps", () -> "master".equals(lonely.role()) && lonely.sentinelPid() > 0);
		long redisPid = lonely.redisPid();
		assertThat(ProcessHandle.of(lonely.sentinelPid()).orElseThrow().destroyForcibly()).isTrue();
		awaitUntil("the task ends when its Sentinel dies", () -> !lonely.process.isAlive());
		assertThat(lonely.process.exitValue()).isNotZero();
		assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isEmpty();

		Node stopped = new Node(0, this.sandboxes.resolve("b"), ports.get(0), ports.get(1),
				render(0, ports, DOWN_AFTER_MS));
		this.nodes.add(stopped);
		stopped.start();
		awaitUntil("a second node-0 bootstraps", () -> "master".equals(stopped.role()));
		awaitUntil("its Sentinel answers", () -> stopped.sentinelPid() > 0);
		List<ProcessHandle> processes = Stream.of(stopped.redisPid(), stopped.sentinelPid())
			.map((pid) -> ProcessHandle.of(pid).orElseThrow())
			.toList();
		stopped.process.destroy();
		awaitUntil("SIGTERM stops the task", () -> !stopped.process.isAlive());
		assertThat(processes).noneMatch(ProcessHandle::isAlive);
		assertThat(stopped.process.exitValue()).isEqualTo(143);
	}

	/**
	 * Deploy an instance as the broker would: node-0 first (it bootstraps as the
	 * primary), then the others, each seeded once it runs.
	 * @return node-0, the primary, with two replicas in sync, a Sentinel quorum and the
	 * user {@code app}
	 */
	private Node startThreeNodes(int downAfterMs) throws IOException {
		List<Integer> ports = Stream.generate(FreePorts::next).limit(6).toList();
		for (int n = 0; n < 3; n++) {
			this.nodes.add(new Node(n, this.sandboxes.resolve("node-" + n), ports.get(2 * n), ports.get(2 * n + 1),
					render(n, ports, downAfterMs)));
		}
		Node first = this.nodes.get(0);
		first.start();
		awaitUntil("node-0 bootstraps as the primary", () -> "master".equals(first.role()));
		seed(first);
		this.nodes.subList(1, 3).forEach(Node::start);
		for (Node replica : this.nodes.subList(1, 3)) {
			awaitUntil("node-" + replica.index + " starts as a replica of node-0",
					() -> "slave".equals(replica.role()) && replica.primaryPort() == first.port);
			seed(replica);
		}
		awaitUntil("one primary with two replicas in sync", () -> inSync(first, 2));
		for (Node node : this.nodes) {
			awaitUntil("a Sentinel quorum at node-" + node.index,
					() -> node.ckquorum().startsWith("OK 3 usable Sentinels"));
		}
		awaitUntil("the broker sees the instance whole", () -> this.ha.state(access(this.nodes)).whole());
		assertThat(this.ha.state(access(this.nodes)).primary()).contains(new RedisEndpoint("127.0.0.1", first.port));
		createUserEverywhere(this.nodes, "app", this.appPassword);
		return first;
	}

	private List<String> writeAcknowledged(Node primary, String prefix, int count) {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			assertThat(writeAcknowledged(primary, prefix + i)).as("write %s%d acknowledged", prefix, i).isTrue();
			keys.add(prefix + i);
		}
		return keys;
	}

	private void assertEveryNodeHas(List<String> keys) {
		for (Node node : this.nodes) {
			try (Jedis app = node.connect(node.port, "app", this.appPassword)) {
				assertThat(app.mget(keys.toArray(String[]::new))).as("acknowledged keys on node-" + node.index)
					.containsOnly("v");
			}
		}
	}

	/** The template rendered for node {@code n}, by plain substitution. */
	private JsonNode render(int n, List<Integer> ports, int downAfterMs) throws IOException {
		List<String> otherSentinels = new ArrayList<>();
		for (int other = 0; other < 3; other++) {
			if (other != n) {
				otherSentinels.add("127.0.0.1:" + ports.get(2 * other + 1));
			}
		}
		Map<String, String> values = new LinkedHashMap<>();
		values.put("appId", "/osb-redis/" + INSTANCE_ID + "/node-" + n);
		values.put("instanceId", INSTANCE_ID);
		values.put("serviceId", "service");
		values.put("planId", "ha");
		values.put("node", Integer.toString(n));
		values.put("cpus", "0.1");
		values.put("mem", "128");
		values.put("maxmemory", "64mb");
		values.put("volumeName", "osb-redis-" + INSTANCE_ID + "-node-" + n);
		values.put("volumeSize", "1");
		values.put("port", Integer.toString(ports.get(2 * n)));
		values.put("sentinelPort", Integer.toString(ports.get(2 * n + 1)));
		values.put("requirePorts", "true");
		values.put("consulService", ServiceNames.of(INSTANCE_ID));
		values.put("consulSentinelService", ServiceNames.sentinelOf(INSTANCE_ID));
		values.put("masterName", MASTER_NAME);
		values.put("sentinels", String.join(" ", otherSentinels));
		values.put("quorum", "2");
		values.put("downAfterMs", Integer.toString(downAfterMs));
		values.put("failoverTimeoutMs", Integer.toString(FAILOVER_TIMEOUT_MS));
		values.put("adminUser", ADMIN);
		values.put("adminPasswordSha256", Passwords.redisHash(this.adminPassword));
		values.put("replicationUser", "osb-replication");
		values.put("replicationPasswordSha256", Passwords.redisHash(this.replicationPassword));
		values.put("sentinelUser", "osb-sentinel");
		values.put("sentinelPasswordSha256", Passwords.redisHash(this.sentinelPassword));
		values.put("placementField", "hostname");
		values.put("placementOperator", "LIKE");
		values.put("placementValue", ".*");
		return HaNodeTemplate.render(values);
	}

	/**
	 * What the broker does once per volume, through its adapter: the internal passwords
	 * reach the node's Sentinel and Redis through the admin user, and each writes them
	 * into its own file on the volume.
	 */
	private void seed(Node node) {
		awaitUntil("node-" + node.index + "'s Sentinel answers", () -> node.sentinelPid() > 0);
		this.ha.handOver(access(List.of(node)));
	}

	private HaAccess access(List<Node> nodes) {
		return new HaAccess(
				nodes.stream()
					.map((node) -> new HaNode(node.index, new RedisEndpoint("127.0.0.1", node.port),
							new RedisEndpoint("127.0.0.1", node.sentinelPort)))
					.toList(),
				MASTER_NAME, ADMIN, this.adminPassword, "osb-replication", this.replicationPassword, "osb-sentinel",
				this.sentinelPassword);
	}

	/** As the broker binds: the user on every node it reaches, saved to each ACL file. */
	private static void createUserEverywhere(List<Node> nodes, String user, String password) {
		for (Node node : nodes) {
			try (Jedis admin = node.admin()) {
				admin.aclSetUser(user, "on", ">" + password, "~*", "&*", "+@all");
				admin.aclSave();
			}
		}
	}

	private static void deleteUserEverywhere(List<Node> nodes, String user) {
		for (Node node : nodes) {
			try (Jedis admin = node.admin()) {
				admin.aclDelUser(user);
				admin.aclSave();
			}
		}
	}

	/** A write that at least one replica acknowledged ({@code WAIT 1}). */
	private boolean writeAcknowledged(Node primary, String key) {
		try (Jedis app = primary.connect(primary.port, "app", this.appPassword)) {
			app.set(key, "v");
			return app.waitReplicas(1, 1000) >= 1;
		}
		catch (JedisException ex) {
			// refused (NOREPLICAS, READONLY) or gone: not acknowledged
			return false;
		}
	}

	private Node primaryNamedBy(Node sentinel) {
		try (Jedis jedis = sentinel.connect(sentinel.sentinelPort, ADMIN, this.adminPassword)) {
			int port = Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
			return this.nodes.stream().filter((node) -> node.port == port).findFirst().orElse(null);
		}
	}

	private static boolean inSync(Node primary, int replicas) {
		String info = primary.info();
		Matcher offset = Pattern.compile("master_repl_offset:(\\d+)").matcher(info);
		if (!info.contains("role:master") || !offset.find()) {
			return false;
		}
		String synced = "offset=" + offset.group(1) + ",";
		return info.lines()
			.filter((line) -> line.contains("state=online") && line.contains(synced))
			.count() == replicas;
	}

	private static List<String> commandLines() throws IOException {
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			return processes.map((dir) -> dir.resolve("cmdline")).filter(Files::isReadable).map((cmdline) -> {
				try {
					return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					// the process ended while the list was read
					return "";
				}
			}).toList();
		}
	}

	private void awaitUntil(String what, Callable<Boolean> condition) {
		awaitUntil(what, START_BOUND, condition);
	}

	/** Wait for a condition; on a timeout, say what the nodes logged last. */
	private void awaitUntil(String what, Duration bound, Callable<Boolean> condition) {
		try {
			await(what).atMost(bound).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(condition);
		}
		catch (ConditionTimeoutException ex) {
			StringBuilder logs = new StringBuilder(ex.getMessage());
			this.nodes
				.forEach((node) -> logs.append("\n--- node-").append(node.index).append(":\n").append(node.log()));
			throw new AssertionError(logs.toString(), ex);
		}
	}

	/** One node's task: its cmd run by sh, its sandbox, its two ports. */
	private final class Node {

		private final int index;

		private final Path sandbox;

		private final int port;

		private final int sentinelPort;

		private final JsonNode app;

		private Process process;

		Node(int index, Path sandbox, int port, int sentinelPort, JsonNode app) {
			this.index = index;
			this.sandbox = sandbox;
			this.port = port;
			this.sentinelPort = sentinelPort;
			this.app = app;
		}

		/** Start (or start again, on the same volume and ports) as Mesos would. */
		void start() {
			try {
				Files.createDirectories(volume());
				ProcessBuilder builder = new ProcessBuilder("sh", "-c", this.app.path("cmd").asText())
					.directory(this.sandbox.toFile())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.sandbox.resolve("stdout").toFile()));
				Map<String, String> env = builder.environment();
				this.app.path("env")
					.properties()
					.forEach((variable) -> env.put(variable.getKey(), variable.getValue().asText()));
				env.put("PORT0", Integer.toString(this.port));
				env.put("PORT1", Integer.toString(this.sentinelPort));
				env.put("HOST", "127.0.0.1");
				env.put("MESOS_SANDBOX", this.sandbox.toString());
				// loopback only: the test must not listen on the machine's other
				// interfaces
				env.put("REDIS_BIND", "127.0.0.1");
				this.process = builder.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		Path volume() {
			return this.sandbox
				.resolve(this.app.path("container").path("volumes").get(0).path("containerPath").asText());
		}

		Jedis connect(int port, String user, String password) {
			return new Jedis(new HostAndPort("127.0.0.1", port),
					DefaultJedisClientConfig.builder().user(user).password(password).timeoutMillis(1000).build());
		}

		Jedis admin() {
			return connect(this.port, ADMIN, RedisHaNodeCommandTests.this.adminPassword);
		}

		String info() {
			try (Jedis admin = admin()) {
				return admin.info("replication");
			}
		}

		String role() {
			try (Jedis admin = admin()) {
				return (String) admin.role().get(0);
			}
		}

		long primaryPort() {
			try (Jedis admin = admin()) {
				return (Long) admin.role().get(2);
			}
		}

		String ckquorum() {
			try (Jedis sentinel = connect(this.sentinelPort, ADMIN, RedisHaNodeCommandTests.this.adminPassword)) {
				return new String((byte[]) sentinel.sendCommand(Protocol.Command.SENTINEL, "CKQUORUM", MASTER_NAME),
						StandardCharsets.UTF_8);
			}
		}

		/** {@code kill -9} of this node's redis-server. */
		void killRedis() {
			assertThat(ProcessHandle.of(redisPid()).orElseThrow().destroyForcibly()).isTrue();
		}

		long redisPid() {
			return pid(this.port);
		}

		long sentinelPid() {
			return pid(this.sentinelPort);
		}

		private long pid(int port) {
			try (Jedis admin = connect(port, ADMIN, RedisHaNodeCommandTests.this.adminPassword)) {
				Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(admin.info("server"));
				assertThat(pid.find()).isTrue();
				return Long.parseLong(pid.group(1));
			}
		}

		String log() {
			try {
				List<String> lines = Files.readAllLines(this.sandbox.resolve("stdout"));
				return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

		/** After the test: nothing of this node keeps running. */
		void destroy() {
			if (this.process != null) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
			}
		}

	}

}
