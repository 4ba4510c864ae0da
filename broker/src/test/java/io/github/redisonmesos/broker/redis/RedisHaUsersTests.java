package io.github.redisonmesos.broker.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.redisonmesos.broker.binding.RedisUsers;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.support.HaNodes;
import io.github.redisonmesos.broker.support.HaNodes.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static io.github.redisonmesos.broker.support.HaNodes.MASTER_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A binding's user on an HA instance, put and deleted through the broker's adapter on
 * three nodes started from the HA node template ({@link HaNodes}), and used by real
 * Sentinel clients with only its own credentials.
 * <p>
 * Its tests mostly wait on Sentinel timers: they run beside each other and the module's
 * other tests, each on nodes of its own (ports from {@code FreePorts}, never handed out
 * twice).
 */
@Execution(ExecutionMode.CONCURRENT)
class RedisHaUsersTests {

	private static final int DOWN_AFTER_MS = 1000;

	/** Sentinel's failover and the client's move to the promoted primary. */
	private static final Duration FOLLOW_BOUND = Duration.ofMillis(DOWN_AFTER_MS + 2L * HaNodes.FAILOVER_TIMEOUT_MS)
		.plusSeconds(5);

	private static final List<String> RULES = Arrays.asList(PlanProperties.DEFAULT_ACL_RULES.split(" +"));

	private static final String USER = "b-1";

	@TempDir
	Path sandboxes;

	private final RedisUsers users = TestRedisAcl.create();

	private HaNodes cluster;

	private final String password = new Passwords().generate();

	@AfterEach
	void stopNodes() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void aUserPutOnEveryNodeAndSentinelFollowsAFailoverWithItsOwnCredentialsAndIsGoneAfterDelete() throws Exception {
		Node first = start();
		List<Node> nodes = this.cluster.nodes();
		this.users.put(access(), USER, Passwords.redisHash(this.password), RULES);

		for (Node node : nodes) {
			try (Jedis redis = node.connect(node.port(), USER, this.password)) {
				assertThat(redis.ping()).isEqualTo("PONG");
				if (node == first) {
					assertThat(redis.set("direct", "v")).isEqualTo("OK");
				}
				else {
					assertThatExceptionOfType(JedisDataException.class).isThrownBy(() -> redis.set("direct", "v"))
						.withMessageStartingWith("READONLY");
				}
			}
			try (Jedis sentinel = node.connect(node.sentinelPort(), USER, this.password)) {
				assertThat(sentinel.sentinelGetMasterAddrByName(MASTER_NAME)).containsExactly("127.0.0.1",
						Integer.toString(first.port()));
				for (String[] forbidden : List.of(
						new String[] { "SENTINEL", "SET", MASTER_NAME, "down-after-milliseconds", "5000" },
						new String[] { "SENTINEL", "RESET", "*" }, new String[] { "SENTINEL", "FLUSHCONFIG" },
						new String[] { "SENTINEL", "FAILOVER", MASTER_NAME }, new String[] { "ACL", "LIST" },
						new String[] { "SENTINEL", "CONFIG", "GET", "*" },
						new String[] { "PUBLISH", "__sentinel__:hello", "x" })) {
					assertThatExceptionOfType(JedisDataException.class)
						.as(String.join(" ", forbidden) + " on node-" + node.index() + "'s Sentinel")
						.isThrownBy(() -> sentinel.sendCommand(() -> forbidden[0].getBytes(StandardCharsets.UTF_8),
								Arrays.copyOfRange(forbidden, 1, forbidden.length)))
						.withMessageStartingWith("NOPERM");
				}
			}
		}
		clearAclLogs();

		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(USER)
			.password(this.password)
			.clientName("app")
			.timeoutMillis(1000)
			.build();
		Set<HostAndPort> sentinels = nodes.stream()
			.map((node) -> new HostAndPort("127.0.0.1", node.sentinelPort()))
			.collect(Collectors.toSet());
		try (JedisSentineled client = new JedisSentineled(MASTER_NAME, config, sentinels, config)) {
			assertThat(client.set("jedis-before", "v")).isEqualTo("OK");
			// a Sentinel learns the replicas from the primary's INFO, every 10 s: one or
			// both
			assertThat(pythonSentinelClient("python-before")).contains("master 127.0.0.1 " + first.port(), "set True")
				.containsPattern("replicas [12]");
			assertSentinelsRefusedNothing();

			first.killRedis();
			this.cluster.awaitUntil("the same JedisSentineled writes to the promoted primary", FOLLOW_BOUND,
					() -> "OK".equals(client.set("jedis-after", "v")));
			Node promoted = this.cluster.primaryNamedBy(nodes.get(1));
			assertThat(promoted).isNotSameAs(first);
			try (Jedis admin = promoted.admin()) {
				assertThat(admin.mget("jedis-before", "python-before", "jedis-after")).containsOnly("v");
				assertThat(admin.info("replication")).contains("role:master");
			}
			assertThat(pythonSentinelClient("python-after")).contains("master 127.0.0.1 " + promoted.port(),
					"set True");
			assertSentinelsRefusedNothing();
		}

		// node-0 comes back as a replica with the user, on its Redis and its Sentinel
		this.cluster.awaitUntil("node-0's task ends", () -> !first.process().isAlive());
		first.start();
		this.cluster.awaitUntil("node-0 is back as a replica",
				() -> "slave".equals(first.role()) && first.info().contains("master_link_status:up"));
		this.cluster.awaitUntil("node-0's Sentinel is back", () -> first.sentinelPid() > 0);
		try (Jedis redis = first.connect(first.port(), USER, this.password);
				Jedis sentinel = first.connect(first.sentinelPort(), USER, this.password)) {
			assertThat(redis.ping()).isEqualTo("PONG");
			assertThat(sentinel.ping()).isEqualTo("PONG");
		}

		List<Jedis> open = nodes.stream()
			.flatMap((node) -> List
				.of(node.connect(node.port(), USER, this.password),
						node.connect(node.sentinelPort(), USER, this.password))
				.stream())
			.toList();
		open.forEach(Jedis::ping);
		this.users.delete(access(), USER);
		for (Jedis connection : open) {
			assertThatExceptionOfType(JedisConnectionException.class).as("an open connection of the deleted user")
				.isThrownBy(connection::ping);
			connection.close();
		}
		for (Node node : nodes) {
			for (int port : List.of(node.port(), node.sentinelPort())) {
				assertThatExceptionOfType(JedisAccessControlException.class).as("the deleted user at " + port)
					.isThrownBy(() -> node.connect(port, USER, this.password).ping())
					.withMessageStartingWith("WRONGPASS");
			}
		}
		// saved: each Sentinel's file no longer has it, each ACL file neither
		for (Node node : nodes) {
			assertThat(node.volume().resolve("sentinel.conf")).content().doesNotContain("user " + USER + " ");
			assertThat(node.volume().resolve("users.acl")).content().doesNotContain("user " + USER + " ");
		}
	}

	@Test
	void aNodeDownDuringBindAndUnbindFailsThemAsRetryableAndConvergesWhenItComesBack() throws Exception {
		start();
		List<Node> nodes = this.cluster.nodes();
		Node away = nodes.get(2);
		String unbound = "b-0";
		this.users.put(access(), unbound, Passwords.redisHash(this.password), RULES);
		away.process().destroy();
		this.cluster.awaitUntil("node-2 stops", () -> !away.process().isAlive());

		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.users.put(access(), USER, Passwords.redisHash(this.password), RULES))
			.withMessageContaining("127.0.0.1:" + away.port())
			.withMessageContaining("retry")
			.matches(RedisUnavailableException::mayHaveApplied);
		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.users.delete(access(), unbound))
			.matches(RedisUnavailableException::mayHaveApplied);
		for (Node node : nodes.subList(0, 2)) {
			for (int port : List.of(node.port(), node.sentinelPort())) {
				try (Jedis user = node.connect(port, USER, this.password)) {
					assertThat(user.ping()).as("the new user at " + port).isEqualTo("PONG");
				}
				assertThatExceptionOfType(JedisAccessControlException.class).as("the deleted user at " + port)
					.isThrownBy(() -> node.connect(port, unbound, this.password).ping());
			}
		}

		away.start();
		this.cluster.awaitUntil("node-2 is back as a replica",
				() -> "slave".equals(away.role()) && away.info().contains("master_link_status:up"));
		this.cluster.awaitUntil("node-2's Sentinel is back", () -> away.sentinelPid() > 0);
		// its Redis copied the primary's users at start; its Sentinel kept its own file
		try (Jedis redis = away.connect(away.port(), USER, this.password)) {
			assertThat(redis.ping()).isEqualTo("PONG");
		}
		assertThatExceptionOfType(JedisAccessControlException.class)
			.isThrownBy(() -> away.connect(away.port(), unbound, this.password).ping());
		assertThatExceptionOfType(JedisAccessControlException.class).as("the Sentinel missed the put")
			.isThrownBy(() -> away.connect(away.sentinelPort(), USER, this.password).ping());
		try (Jedis stale = away.connect(away.sentinelPort(), unbound, this.password)) {
			assertThat(stale.ping()).as("the Sentinel missed the delete").isEqualTo("PONG");
		}

		this.cluster.ha().handOver(access());
		try (Jedis sentinel = away.connect(away.sentinelPort(), USER, this.password)) {
			assertThat(sentinel.sentinelGetMasterAddrByName(MASTER_NAME)).hasSize(2);
			assertThatExceptionOfType(JedisDataException.class).isThrownBy(sentinel::aclList)
				.withMessageStartingWith("NOPERM");
		}
		assertThatExceptionOfType(JedisAccessControlException.class)
			.isThrownBy(() -> away.connect(away.sentinelPort(), unbound, this.password).ping());
		assertThat(away.volume().resolve("sentinel.conf")).content()
			.contains("user " + USER + " ")
			.doesNotContain("user " + unbound + " ");
	}

	@Test
	void aReplicaThatMissedABindAndAnUnbindIsConvergedThenMadePromotableAndARightNodeIsOnlyRead() {
		Node first = start();
		this.users.put(access(), USER, Passwords.redisHash(this.password), RULES);
		Node stale = this.cluster.nodes().get(1);
		Node right = this.cluster.nodes().get(2);
		String unbound = "b-unbound";
		// as if it had been down while USER was bound and unbound was unbound, and had
		// started without reading the primary's users
		try (Jedis admin = stale.admin()) {
			admin.aclDelUser(USER);
			admin.aclSetUser(unbound, "on", "#" + Passwords.redisHash(this.password), "+ping");
			admin.configSet("replica-priority", "0");
		}
		try (Jedis sentinel = stale.sentinelAdmin()) {
			sentinel.aclDelUser(USER);
		}
		HaState before = this.cluster.ha().state(access(), 3);
		assertThat(before.roles()).containsEntry(first.index(), HaRole.PRIMARY)
			.containsEntry(stale.index(), HaRole.UNPROMOTABLE)
			.containsEntry(right.index(), HaRole.REPLICA);
		long aclSavesOnTheRightNode = commandCalls(right, "acl|save");

		this.cluster.ha().handOver(access());

		try (Jedis redis = stale.connect(stale.port(), USER, this.password);
				Jedis sentinel = stale.connect(stale.sentinelPort(), USER, this.password)) {
			assertThat(redis.ping()).isEqualTo("PONG");
			assertThat(sentinel.sentinelGetMasterAddrByName(MASTER_NAME)).hasSize(2);
		}
		assertThatExceptionOfType(JedisAccessControlException.class)
			.isThrownBy(() -> stale.connect(stale.port(), unbound, this.password).ping());
		assertThat(this.cluster.ha().state(access(), 3).roles()).containsEntry(stale.index(), HaRole.REPLICA);
		assertThat(stale.volume().resolve("users.acl")).content()
			.contains("user " + USER + " ")
			.doesNotContain("user " + unbound + " ");
		assertThat(commandCalls(right, "acl|save")).as("a node that had the users is not written to")
			.isEqualTo(aclSavesOnTheRightNode);

		// a node Consul does not list
		HaState withoutOne = this.cluster.ha().state(this.cluster.access(List.of(first, right)), 3);
		assertThat(withoutOne.roles()).containsEntry(stale.index(), HaRole.MISSING);
		assertThat(withoutOne.whole()).isFalse();
	}

	private static long commandCalls(Node node, String command) {
		try (Jedis admin = node.admin()) {
			String line = Arrays.stream(admin.info("commandstats").split("\r?\n"))
				.filter((stat) -> stat.startsWith("cmdstat_" + command + ":"))
				.findFirst()
				.orElse("calls=0");
			return Long.parseLong(line.replaceAll(".*calls=(\\d+).*", "$1"));
		}
	}

	private Node start() {
		this.cluster = new HaNodes(this.sandboxes);
		return this.cluster.startThree(DOWN_AFTER_MS);
	}

	private HaAccess access() {
		return this.cluster.access(this.cluster.nodes());
	}

	private void clearAclLogs() {
		for (Node node : this.cluster.nodes()) {
			try (Jedis sentinel = node.sentinelAdmin()) {
				sentinel.aclLogReset();
			}
		}
	}

	/** Every Sentinel that runs: nothing the clients sent was refused. */
	private void assertSentinelsRefusedNothing() {
		for (Node node : this.cluster.nodes()) {
			try (Jedis sentinel = node.sentinelAdmin()) {
				assertThat(sentinel.aclLog()).as("refusals on node-" + node.index() + "'s Sentinel")
					.map((entry) -> entry.getUsername() + " " + entry.getReason() + " " + entry.getObject())
					.isEmpty();
			}
			catch (JedisConnectionException ex) {
				// this node is down
			}
		}
	}

	/**
	 * Debian's redis-py (python3-redis) {@code Sentinel}: the primary, the replicas and
	 * one write through the primary, with the binding's credentials only.
	 */
	private String pythonSentinelClient(String key) throws IOException, InterruptedException {
		String script = """
				import os
				from redis.sentinel import Sentinel
				auth = {'username': os.environ['U'], 'password': os.environ['P'], 'socket_timeout': 2}
				sentinels = [('127.0.0.1', int(p)) for p in os.environ['S'].split()]
				s = Sentinel(sentinels, sentinel_kwargs=auth, **auth)
				host, port = s.discover_master(os.environ['M'])
				print('master', host, port)
				print('replicas', len(s.discover_slaves(os.environ['M'])))
				print('set', s.master_for(os.environ['M']).set(os.environ['K'], 'v'))
				""";
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("U", USER);
		env.put("P", this.password);
		env.put("M", MASTER_NAME);
		env.put("K", key);
		env.put("S",
				this.cluster.nodes()
					.stream()
					.map((node) -> Integer.toString(node.sentinelPort()))
					.collect(Collectors.joining(" ")));
		Process python = builder.start();
		assertThat(python.waitFor(20, TimeUnit.SECONDS)).as("redis-py ends").isTrue();
		String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(python.exitValue()).as(output).isZero();
		return output;
	}

}
