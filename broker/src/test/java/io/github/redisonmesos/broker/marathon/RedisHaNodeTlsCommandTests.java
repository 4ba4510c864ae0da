package io.github.redisonmesos.broker.marathon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.binding.RedisUsers;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.redis.TestRedisAcl;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.support.HaNodes;
import io.github.redisonmesos.broker.support.HaNodes.Node;
import io.github.redisonmesos.broker.tls.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.exceptions.JedisException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The HA node template's {@code cmd} with {@code tls: required} (docs/TLS.md, HA), three
 * nodes run as a Mesos executor would against Debian's real redis-server
 * ({@link HaNodes}): each node's Redis and Sentinel listen with TLS only, replicas and
 * Sentinels connect with TLS, and the broker's admin connections (hand-over, state,
 * switch-over, users, the backup's replica stream) trust the operator's CA alone.
 */
@Execution(ExecutionMode.CONCURRENT)
class RedisHaNodeTlsCommandTests {

	private static final int DOWN_AFTER_MS = 1000;

	private static final Duration FAILOVER_BOUND = HaNodes.failoverBound(DOWN_AFTER_MS);

	private static final String USER = "b-1";

	@TempDir
	Path sandboxes;

	private TestCa ca;

	private HaNodes cluster;

	private List<Node> nodes;

	private final String password = new Passwords().generate();

	@BeforeEach
	void setUp() throws Exception {
		this.ca = TestCa.generate("EC", "Operator EC CA");
		this.cluster = new HaNodes(this.sandboxes, this.ca.certificates());
		this.nodes = this.cluster.nodes();
	}

	@AfterEach
	void stopNodes() {
		this.cluster.close();
	}

	@Test
	void everyNodeAndSentinelSpeaksTlsOnlyAndAKilledPrimaryFailsOverWithTlsReplicationLosingNoAcknowledgedWrite()
			throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		RedisUsers users = TestRedisAcl.create(this.ca.certificates());
		users.put(this.cluster.access(this.nodes), USER, Passwords.redisHash(this.password),
				Arrays.asList(PlanProperties.DEFAULT_ACL_RULES.split(" +")));

		for (Node node : this.nodes) {
			try (Jedis admin = node.admin()) {
				assertThat(admin.configGet("port")).containsEntry("port", "0");
				assertThat(admin.configGet("tls-port")).containsEntry("tls-port", Integer.toString(node.port()));
				assertThat(admin.configGet("tls-replication")).containsEntry("tls-replication", "yes");
				assertThat(admin.configGet("tls-auth-clients")).containsEntry("tls-auth-clients", "no");
			}
			assertThat(Files.readString(node.volume().resolve("sentinel.conf"))).contains("port 0",
					"tls-port " + node.sentinelPort(), "tls-replication yes", "sentinel resolve-hostnames yes",
					"sentinel announce-hostnames yes");
			for (int port : List.of(node.port(), node.sentinelPort())) {
				assertThatExceptionOfType(JedisException.class).as("a plain connection to port " + port)
					.isThrownBy(() -> {
						try (Jedis plain = new Jedis(new HostAndPort("127.0.0.1", port),
								DefaultJedisClientConfig.builder().timeoutMillis(1000).build())) {
							plain.ping();
						}
					});
			}
			assertThat(node.sandbox().resolve("tls-delivery.pem")).as("the fetched file, moved to the volume")
				.doesNotExist();
			for (String file : List.of("redis.key", "redis.crt", "ca.crt")) {
				assertThat(Files.getPosixFilePermissions(node.volume().resolve("tls").resolve(file))).as(file)
					.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
			}
			assertThat(node.app().toString().contains(keyBody(node))).as("node-" + node.index() + "'s key in its app")
				.isFalse();
		}

		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(USER)
			.password(this.password)
			.timeoutMillis(1000)
			.ssl(true)
			.sslSocketFactory(this.ca.certificates().trustingTheCa())
			.build();
		Set<HostAndPort> sentinels = this.nodes.stream()
			.map((node) -> new HostAndPort("127.0.0.1", node.sentinelPort()))
			.collect(Collectors.toSet());
		List<String> acknowledged = new ArrayList<>();
		try (JedisSentineled client = new JedisSentineled(HaNodes.MASTER_NAME, config, sentinels, config)) {
			for (int i = 0; i < 20; i++) {
				client.set("before-" + i, "v");
				assertThat(client.waitReplicas("before-" + i, 1, 1000)).isGreaterThanOrEqualTo(1);
				acknowledged.add("before-" + i);
			}
			first.killRedis();
			this.cluster.awaitUntil("the same client writes to the promoted primary, one replica acknowledging",
					FAILOVER_BOUND.plusSeconds(10), () -> "OK".equals(client.set("after-kill", "v"))
							&& client.waitReplicas("after-kill", 1, 1000) >= 1);
			acknowledged.add("after-kill");
		}
		Node promoted = this.cluster.primaryNamedBy(this.nodes.get(1));
		assertThat(promoted).isNotSameAs(first);

		// node-0 restarts on its volume: the fetch gives the CA alone, the key is there
		this.cluster.awaitUntil("node-0's task ends", () -> !first.process().isAlive());
		String key = Files.readString(first.volume().resolve("tls/redis.key"));
		first.start();
		this.cluster.awaitUntil("node-0 is back as a replica over TLS", () -> "slave".equals(first.role())
				&& first.primaryPort() == promoted.port() && first.info().contains("master_link_status:up"));
		this.cluster.awaitUntil("the broker sees the instance whole again",
				() -> this.cluster.ha().state(this.cluster.access(this.nodes)).whole());
		assertThat(Files.readString(first.volume().resolve("tls/redis.key"))).isEqualTo(key);
		for (Node node : this.nodes) {
			try (Jedis app = node.connect(node.port(), USER, this.password)) {
				assertThat(app.mget(acknowledged.toArray(String[]::new)))
					.as("acknowledged keys on node-" + node.index())
					.containsOnly("v");
			}
		}

		// the backup's replica stream over TLS
		Node replica = this.nodes.stream().filter((node) -> node != promoted).findFirst().orElseThrow();
		ByteArrayOutputStream rdb = new ByteArrayOutputStream();
		TestRedisAcl.rdbSource(this.ca.certificates())
			.stream(new RedisAdmin(new RedisEndpoint("127.0.0.1", replica.port()), HaNodes.ADMIN,
					this.cluster.adminPassword(), TlsMode.REQUIRED), rdb);
		assertThat(new String(rdb.toByteArray(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("REDIS");

		// the cmd itself (sh -c) names the PEM markers it looks for: the keys' text is
		// on no command line
		List<String> keys = new ArrayList<>();
		for (Node node : this.nodes) {
			keys.add(keyBody(node));
		}
		assertThat(RedisHaNodeCommandTests.commandLines()).noneMatch((line) -> keys.stream().anyMatch(line::contains));
	}

	// the first line of a node's private key (base64), to look for anywhere else
	private static String keyBody(Node node) throws IOException {
		return Files.readAllLines(node.volume().resolve("tls/redis.key"))
			.stream()
			.filter((line) -> !line.startsWith("-----"))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void eachNodeAppFetchesItsOwnDeliveryOnceAndTellsTheCmdThatTlsIsRequired() {
		List<Integer> ports = List.of(1, 2, 3, 4, 5, 6);
		for (int n = 0; n < 3; n++) {
			JsonNode app = this.cluster.add(n, this.sandboxes.resolve("render-" + n), ports, DOWN_AFTER_MS).app();
			assertThat(app.path("fetch")).hasSize(1);
			assertThat(app.path("fetch").get(0).path("uri").asText())
				.startsWith("http://broker.example/tls/v1/instances/5f0c2a9e-3d1b-4e8f-9a47-1c6b2d8e0f35/nodes/" + n
						+ "/delivery?token=");
			assertThat(app.path("fetch").get(0).path("destPath").asText()).isEqualTo("tls-delivery.pem");
			assertThat(app.path("fetch").get(0).path("cache").asBoolean(true)).isFalse();
			assertThat(app.path("env").path("REDIS_TLS").asText()).isEqualTo("required");
			assertThat(app.path("labels").path("osb_settings").asText()).endsWith(";tls=required");
		}
		JsonNode plain = new HaNodes(this.sandboxes).add(0, this.sandboxes.resolve("plain"), ports, DOWN_AFTER_MS)
			.app();
		assertThat(plain.path("fetch").isMissingNode() || plain.path("fetch").isEmpty()).isTrue();
		assertThat(plain.path("env").path("REDIS_TLS").asText()).isEqualTo("disabled");
	}

	@Test
	void theBrokerSwitchesOverOverTlsAndTheOldPrimaryFollowsTheNewOne() throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		this.cluster.awaitUntil("the Sentinel of node-0 takes the switch-over", Duration.ofSeconds(30), () -> {
			try {
				this.cluster.ha().switchOver(this.cluster.access(this.nodes), Duration.ofSeconds(3));
				return true;
			}
			catch (RedisUnavailableException ex) {
				return false;
			}
		});
		this.cluster.awaitUntil("the Sentinels name another node", FAILOVER_BOUND,
				() -> this.cluster.primaryNamedBy(this.nodes.get(1)) != first);
		this.cluster.awaitUntil("the old primary follows the new one over TLS", Duration.ofSeconds(30),
				() -> "slave".equals(first.role()) && first.info().contains("master_link_status:up"));
		this.cluster.awaitUntil("the broker sees the instance whole again", Duration.ofSeconds(30),
				() -> this.cluster.ha().state(this.cluster.access(this.nodes)).whole());
		assertThat(this.cluster.ha().clearGoneAddresses(this.cluster.access(this.nodes))).isEmpty();
	}

}
