package io.github.redisonmesos.broker.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ha} plan end to end on the local platform, through the broker: three nodes
 * with a Sentinel each, a binding's user on all of them, a write a replica acknowledged
 * surviving {@code kill -9} of the primary, the old primary back as a replica, unbind
 * revoking the user everywhere, a parameters update rolling over the nodes one at a time
 * while a Sentinel client keeps writing, and deprovision leaving no app and no process.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(3)
@EndToEnd
class HaLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final Duration BOUND = Duration.ofSeconds(120);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext broker;

	private static BrokerApi api;

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		// arguments, not default properties: application.yml sets the port from PORT;
		// the demo's Sentinel timings (the failover after the kill about 5 s sooner;
		// TlsHaLocalPlatformTests kills a primary with the plan's own)
		broker = InProcessBroker.start(platform, HaLocalPlatformTests.class,
				InProcessBroker.withHaPlanAtDemoTimings("--broker.reconcile.ha-interval=1s",
						"--BROKER_VOLUMES_URL=" + platform.libStorage(""), "--BROKER_VOLUMES_SERVICE=local",
						"--BROKER_VOLUMES_RETENTION=0",
						// a volume whose delete failed (still in use) goes at the next
						// reconciliation
						"--broker.reconcile.interval=2s"));
		api = InProcessBroker.api(broker);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void aWriteAReplicaAcknowledgedSurvivesTheKillOfThePrimaryAndTheUserIsEverywhereUntilUnbind() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		assertThat(api
			.call(HttpMethod.PUT, instancePath(instanceId) + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
							+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode poll = api.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation", null).getBody();
			assertThat(poll.path("state").asText()).isNotEqualTo("failed");
			return "succeeded".equals(poll.path("state").asText());
		});

		// health (details with the broker's credentials) and Prometheus show the nodes by
		// role
		JsonNode roles = await().atMost(BOUND)
			.until(() -> api.call(HttpMethod.GET, "/actuator/health", null, null, true)
				.getBody()
				.path("components")
				.path("ha")
				.path("details")
				.path("nodes")
				.path(instanceId), (nodes) -> nodes.path("whole").asBoolean());
		assertThat(List.of(roles.path("node-0").asText(), roles.path("node-1").asText(), roles.path("node-2").asText()))
			.containsExactlyInAnyOrder("primary", "replica", "replica");
		assertThat(api.text("/actuator/prometheus"))
			.contains("broker_ha_nodes{instance_id=\"" + instanceId + "\",role=\"primary\"} 1.0")
			.contains("broker_ha_nodes{instance_id=\"" + instanceId + "\",role=\"replica\"} 2.0")
			.contains("broker_ha_nodes{instance_id=\"" + instanceId + "\",role=\"missing\"} 0.0");
		assertThat(api.call(HttpMethod.GET, "/actuator/health", null, null, false).getBody().path("components"))
			.as("no details without credentials")
			.allSatisfy((component) -> assertThat(component.has("details")).isFalse());

		String bindingId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> bound = api.call(HttpMethod.PUT,
				instancePath(instanceId) + "/service_bindings/" + bindingId, "{\"service_id\":\"" + SERVICE_ID
						+ "\",\"plan_id\":\"" + HA + "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}");
		assertThat(bound.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		JsonNode credentials = bound.getBody().path("credentials");
		assertThat(credentials.path("master_name").asText()).isEqualTo("osb-" + instanceId);
		assertThat(credentials.path("sentinels")).hasSize(3);
		assertThat(credentials.path("consul_sentinel_service").asText()).isEqualTo("sntnl-" + instanceId);

		String user = credentials.path("username").asText();
		String password = credentials.path("password").asText();
		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(user)
			.password(password)
			.timeoutMillis(2000)
			.build();
		Set<HostAndPort> sentinels = new HashSet<>();
		credentials.path("sentinels")
			.forEach((sentinel) -> sentinels
				.add(new HostAndPort(sentinel.path("host").asText(), sentinel.path("port").asInt())));
		List<String> acknowledged = new ArrayList<>();
		try (JedisSentineled app = new JedisSentineled(credentials.path("master_name").asText(), config, sentinels,
				config)) {
			for (int i = 0; i < 10; i++) {
				app.set("before-" + i, "v");
				assertThat(app.waitReplicas("before-" + i, 1, 2000)).isGreaterThanOrEqualTo(1);
				acknowledged.add("before-" + i);
			}
			HostAndPort primary = primary(sentinels, credentials);
			long pid;
			try (Jedis redis = new Jedis(primary, config)) {
				pid = processId(redis.info("server"));
			}
			assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
			await().atMost(BOUND).ignoreExceptions().until(() -> !primary(sentinels, credentials).equals(primary));
			await().atMost(BOUND).ignoreExceptions().until(() -> {
				app.set("after", "v");
				return app.waitReplicas("after", 1, 2000) >= 1;
			});
			acknowledged.add("after");
			for (String key : acknowledged) {
				assertThat(app.get(key)).as(key).isEqualTo("v");
			}
			// the old primary comes back, as a replica of the new one
			await().atMost(BOUND).ignoreExceptions().until(() -> {
				try (Jedis old = new Jedis(primary, config)) {
					return old.info("replication").contains("role:slave");
				}
			});
		}

		// the returning node is listed again once its health checks pass
		List<JsonNode> nodes = await().atMost(BOUND)
			.until(() -> redisNodes(instanceId), (listed) -> listed.size() == 3);
		for (HostAndPort address : addresses(nodes, sentinels)) {
			try (Jedis jedis = new Jedis(address, config)) {
				assertThat(jedis.ping()).as("the binding's user at %s", address).isEqualTo("PONG");
			}
		}
		rollingUpdateKeepsTakingWrites(instanceId, credentials.path("master_name").asText(), config, sentinels);

		assertThat(api
			.call(HttpMethod.DELETE,
					instancePath(instanceId) + "/service_bindings/" + bindingId + "?service_id=" + SERVICE_ID
							+ "&plan_id=" + HA,
					null)
			.getStatusCode()).isEqualTo(HttpStatus.OK);
		for (HostAndPort address : addresses(nodes, sentinels)) {
			assertThatExceptionOfType(JedisAccessControlException.class)
				.isThrownBy(() -> new Jedis(address, config).ping())
				.as("the unbound user at %s", address);
		}

		// one volume per node, of this provision's own
		assertThat(volumesOf(instanceId)).hasSize(3)
			.allSatisfy((name) -> assertThat(name).matches("osb-redis-" + instanceId + "-[0-9a-f]{8}-node-[0-2]"));
		assertThat(api.call(HttpMethod.DELETE,
				instancePath(instanceId) + "?accepts_incomplete=true&service_id=" + SERVICE_ID + "&plan_id=" + HA, null)
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(BOUND)
			.until(() -> api
				.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation?operation=deprovision", null)
				.getBody()
				.path("state")
				.asText()
				.equals("succeeded"));
		String apps = platform.get(platform.marathon("/v2/apps")).body();
		assertThat(apps).doesNotContain(instanceId);
		await().atMost(BOUND).until(() -> processesOf(instanceId) == 0);
		await().atMost(BOUND).until(() -> !api.text("/actuator/prometheus").contains(instanceId));
		// a retention of 0: every node's volume deleted as the deprovision finished, or
		// by
		// the next reconciliation when libStorage refused a delete (the volume still in
		// use
		// as its task stopped: the broker logs volume_delete_failed and keeps it listed)
		await().atMost(BOUND).until(() -> volumesOf(instanceId).isEmpty());
	}

	// a parameters update rolls over the nodes under a Sentinel client that writes with
	// WAIT 1: it succeeds, every acknowledged write is there, every node runs the new
	// setting, and writes were refused for a few seconds at most
	private static void rollingUpdateKeepsTakingWrites(String instanceId, String masterName, JedisClientConfig config,
			Set<HostAndPort> sentinels) throws Exception {
		List<String> acknowledged;
		long longestGapMillis;
		try (AcknowledgedWriter writer = new AcknowledgedWriter(
				new JedisSentineled(masterName, config, sentinels, config), 1, "roll")) {
			await().atMost(BOUND).until(() -> writer.acknowledged().size() >= 10);
			long started = System.nanoTime();
			assertThat(api
				.call(HttpMethod.PATCH, instancePath(instanceId) + "?accepts_incomplete=true",
						"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"timeout\":300}}")
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			List<String> descriptions = LastOperations.untilSucceeded(api, instanceId, "update",
					Duration.ofSeconds(240), writer);
			writer.close();
			acknowledged = writer.acknowledged();
			longestGapMillis = writer.longestGapMillis();
			System.out.printf("rolling update of %s: %d s, %d acknowledged writes, longest gap between two: %d ms%n",
					instanceId, Duration.ofNanos(System.nanoTime() - started).toSeconds(), acknowledged.size(),
					longestGapMillis);
			writer.gaps().forEach((gap) -> System.out.println("  " + gap));
			assertThat(descriptions).anySatisfy((description) -> assertThat(description)
				.matches("rolling update: node-\\d restarting \\(\\d of 3 updated; replicas first, .*"));
			assertThat(descriptions)
				.anySatisfy((description) -> assertThat(description).startsWith("rolling update: switching over"));
			assertThat(descriptions.get(descriptions.size() - 1)).startsWith("rolling update done");
		}
		assertThat(longestGapMillis).as("the longest time without an acknowledged write")
			.isLessThan(Duration.ofSeconds(20).toMillis());
		try (JedisSentineled app = new JedisSentineled(masterName, config, sentinels, config)) {
			List<String> keys = List.copyOf(acknowledged);
			for (int from = 0; from < keys.size(); from += 500) {
				List<String> batch = keys.subList(from, Math.min(keys.size(), from + 500));
				assertThat(app.mget(batch.toArray(String[]::new))).as("acknowledged writes").containsOnly("v");
			}
		}
		// every node app has the setting, and every node's Redis runs it
		String adminPassword = adminPassword(instanceId);
		for (int node = 0; node < 3; node++) {
			JsonNode app = JSON
				.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/node-" + node))
					.body())
				.path("app");
			assertThat(app.path("env").path("REDIS_TIMEOUT").asText()).as("node-%d", node).isEqualTo("300");
		}
		List<JsonNode> nodes = await().atMost(BOUND)
			.until(() -> redisNodes(instanceId), (listed) -> listed.size() == 3);
		for (HostAndPort address : addresses(nodes, Set.of())) {
			try (Jedis admin = new Jedis(address,
					DefaultJedisClientConfig.builder()
						.user(InstanceRecord.ADMIN_USER)
						.password(adminPassword)
						.timeoutMillis(2000)
						.build())) {
				assertThat(admin.configGet("timeout")).as("%s", address).containsEntry("timeout", "300");
			}
		}
	}

	private static String adminPassword(String instanceId) throws Exception {
		InstanceRecord instance = TestBroker.OBJECT_MAPPER.readValue(
				platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/instances/" + instanceId + "?raw")).body(),
				InstanceRecord.class);
		return TestSecrets.box().open(instance.adminPassword(), InstanceRecord.adminPasswordContext(instanceId));
	}

	private static List<String> volumesOf(String instanceId) throws Exception {
		return JSON.readTree(platform.get(platform.libStorage("/volumes/local")).body())
			.findValuesAsText("name")
			.stream()
			.filter((name) -> name.startsWith("osb-redis-" + instanceId + "-"))
			.toList();
	}

	private static String instancePath(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	private static HostAndPort primary(Set<HostAndPort> sentinels, JsonNode credentials) {
		for (HostAndPort sentinel : sentinels) {
			try (Jedis jedis = new Jedis(sentinel,
					DefaultJedisClientConfig.builder()
						.user(credentials.path("username").asText())
						.password(credentials.path("password").asText())
						.timeoutMillis(1000)
						.build())) {
				List<String> named = jedis.sentinelGetMasterAddrByName(credentials.path("master_name").asText());
				return new HostAndPort(named.get(0), Integer.parseInt(named.get(1)));
			}
			catch (JedisException ex) {
				// this Sentinel is away: ask the next
			}
		}
		throw new IllegalStateException("no Sentinel answered");
	}

	private static long processId(String info) {
		Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
		assertThat(pid.find()).isTrue();
		return Long.parseLong(pid.group(1));
	}

	private static List<JsonNode> redisNodes(String instanceId) throws Exception {
		List<JsonNode> nodes = new ArrayList<>();
		JSON.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body())
			.forEach(nodes::add);
		return nodes;
	}

	private static List<HostAndPort> addresses(List<JsonNode> redisNodes, Set<HostAndPort> sentinels) {
		List<HostAndPort> addresses = new ArrayList<>(sentinels);
		redisNodes.forEach((node) -> addresses.add(new HostAndPort(node.path("Service").path("Address").asText(),
				node.path("Service").path("Port").asInt())));
		return addresses;
	}

	// processes whose working directory is on one of the instance's volumes
	private static long processesOf(String instanceId) throws Exception {
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			return processes.filter((dir) -> dir.getFileName().toString().matches("\\d+")).filter((dir) -> {
				try {
					return Files.readSymbolicLink(dir.resolve("cwd")).toString().contains(instanceId);
				}
				catch (Exception ex) {
					// gone meanwhile, or not ours to read
					return false;
				}
			}).count();
		}
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(HaLocalPlatformTests.class);
	}

	// this class's Consul KV prefix on the shared platform
	private static String kvPrefix() {
		return platform.kvPrefix(HaLocalPlatformTests.class);
	}

}
