package io.github.redisonmesos.broker.component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.security.RequiredSettingException;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code cf upgrade-service} end to end on the local platform: a {@code small} and an
 * {@code ha} instance on maintenance version 1.0.0, the broker restarted with node
 * templates of 1.1.0 that set {@code hz 17} (which {@code INFO} shows on the running
 * Redis), {@code upgrade_available} computed as Cloud Controller does, and the update
 * Cloud Controller sends rolling each instance while an app keeps writing: every
 * acknowledged write kept, the binding's credentials unchanged and working, the version
 * recorded after; a version other than the plan's refused with 422.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(4)
@EndToEnd
class UpgradeLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final Duration BOUND = Duration.ofSeconds(180);

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	static Path work;

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext broker;

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void anUpgradeRollsEachInstanceToTheNewTemplatesKeepingItsDataAndCredentials() throws Exception {
		broker = InProcessBroker.start(platform, UpgradeLocalPlatformTests.class, "--broker.reconcile.ha-interval=1s");
		BrokerApi api = InProcessBroker.api(broker);
		String single = UUID.randomUUID().toString();
		String ha = UUID.randomUUID().toString();
		provision(api, single, SMALL);
		provision(api, ha, HA);
		succeeded(api, single, "provision");
		succeeded(api, ha, "provision");
		Bound singleBound = bind(api, single, SMALL);
		Bound haBound = bind(api, ha, HA);
		JsonNode singleCredentials = singleBound.credentials();
		JsonNode haCredentials = haBound.credentials();
		try (UnifiedJedis app = singleClient(singleCredentials)) {
			app.set("before-upgrade", "kept");
		}
		try (UnifiedJedis app = haClient(haCredentials)) {
			app.set("before-upgrade", "kept");
			assertThat(app.waitReplicas("before-upgrade", 1, 2000)).isGreaterThanOrEqualTo(1);
		}
		assertThat(instanceVersion(api, single)).isEqualTo("1.0.0");
		assertThat(instanceVersion(api, ha)).isEqualTo("1.0.0");
		assertThat(upgradeAvailable(api, single, SMALL)).isFalse();

		// the operator's new templates: a setting the running Redis shows
		broker.close();
		Path appTemplate = work.resolve("redis-app-template.json");
		Path nodeTemplate = work.resolve("redis-ha-node-template.json");
		Files.writeString(appTemplate,
				shipped("redis-app-template.json").replace("--appendonly yes", "--appendonly yes --hz 17"));
		Files.writeString(nodeTemplate, shipped("redis-ha-node-template.json").replace("echo \\\"appendonly yes\\\"\\n",
				"echo \\\"appendonly yes\\\"\\n  echo \\\"hz 17\\\"\\n"));
		assertThat(Files.readString(nodeTemplate)).contains("hz 17");
		String[] templates = { "--broker.reconcile.ha-interval=1s",
				"--broker.marathon.app-template=file:" + appTemplate,
				"--broker.marathon.ha-node-template=file:" + nodeTemplate };
		// under the version the shipped templates were recorded with, the broker does not
		// start
		assertThatExceptionOfType(RequiredSettingException.class)
			.isThrownBy(() -> InProcessBroker.start(platform, UpgradeLocalPlatformTests.class, templates))
			.withMessageContaining("broker.maintenance.version 1.0.0 (BROKER_MAINTENANCE_VERSION) was recorded for "
					+ "node templates sha256:");
		List<String> upgraded = new ArrayList<>(List.of(templates));
		upgraded.add("--BROKER_MAINTENANCE_VERSION=1.1.0");
		upgraded.add("--BROKER_MAINTENANCE_DESCRIPTION=Redis with hz 17; each instance restarts once, ha rolls");
		broker = InProcessBroker.start(platform, UpgradeLocalPlatformTests.class, upgraded.toArray(String[]::new));
		api = InProcessBroker.api(broker);

		// Cloud Controller compares the catalog's version with the instance's
		assertThat(upgradeAvailable(api, single, SMALL)).isTrue();
		assertThat(upgradeAvailable(api, ha, HA)).isTrue();
		for (String version : List.of("1.2.0", "1.0.0")) {
			ResponseEntity<JsonNode> refused = upgrade(api, single, SMALL, version);
			assertThat(refused.getStatusCode()).as(version).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
			assertThat(refused.getBody().path("error").asText()).isEqualTo("MaintenanceInfoConflict");
			assertThat(refused.getBody().path("description").asText()).contains("plan small's 1.1.0");
		}

		long singleGap = upgradeWhileWriting(api, singleBound, SMALL, UpgradeLocalPlatformTests::singleClient, 0);
		long haGap = upgradeWhileWriting(api, haBound, HA, UpgradeLocalPlatformTests::haClient, 1);
		System.out.printf("upgrade write gaps: single %d ms, ha (WAIT 1) %d ms%n", singleGap, haGap);

		// the same credentials, still working, on Redis that runs the new templates
		try (UnifiedJedis app = singleClient(singleCredentials)) {
			assertThat(app.get("before-upgrade")).isEqualTo("kept");
		}
		try (UnifiedJedis app = haClient(haCredentials)) {
			assertThat(app.get("before-upgrade")).isEqualTo("kept");
		}
		// on the binding's port (the instance's own); the restart may place the task on
		// another agent, as Marathon may (nothing pins a single Redis to its agent: apps
		// that follow the README ask Consul where it runs)
		List<HostAndPort> singleNodes = redisNodes(single);
		assertThat(singleNodes).singleElement()
			.extracting(HostAndPort::getPort)
			.isEqualTo(singleCredentials.path("port").asInt());
		assertThat(redisNodes(ha)).hasSize(3);
		for (Bound bound : List.of(singleBound, haBound)) {
			for (HostAndPort node : redisNodes(bound.instanceId())) {
				try (Jedis redis = new Jedis(node, config(bound.credentials()))) {
					assertThat(redis.info("server")).as("%s", node).contains("configured_hz:17");
				}
			}
		}
		for (String instanceId : List.of(single, ha)) {
			assertThat(instanceVersion(api, instanceId)).isEqualTo("1.1.0");
		}
		assertThat(upgradeAvailable(api, single, SMALL)).isFalse();
		assertThat(upgradeAvailable(api, ha, HA)).isFalse();
		assertThat(upgrade(api, ha, HA, "1.1.0").getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(singleGap).as("the single Redis's longest time without an acknowledged write")
			.isLessThan(Duration.ofSeconds(60).toMillis());
		assertThat(haGap).as("the ha instance's longest time without an acknowledged write")
			.isLessThan(Duration.ofSeconds(20).toMillis());
	}

	/**
	 * A binding as the app got it.
	 *
	 * @param instanceId its instance
	 * @param bindingId its id
	 * @param credentials its credentials
	 */
	private record Bound(String instanceId, String bindingId, JsonNode credentials) {

	}

	// cf upgrade-service while an app writes; returns the longest gap between two
	// acknowledged writes
	private static long upgradeWhileWriting(BrokerApi api, Bound bound, String planId,
			Function<JsonNode, UnifiedJedis> client, int replicas) throws Exception {
		String instanceId = bound.instanceId();
		List<String> acknowledged;
		List<String> descriptions;
		long gap;
		try (AcknowledgedWriter writer = new AcknowledgedWriter(client.apply(bound.credentials()), replicas,
				"upgrade")) {
			await().atMost(BOUND).until(() -> writer.acknowledged().size() >= 10);
			long started = System.nanoTime();
			assertThat(upgrade(api, instanceId, planId, "1.1.0").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			descriptions = LastOperations.untilSucceeded(api, instanceId, "update", Duration.ofSeconds(300), writer);
			// a few writes on the upgraded Redis before the writer stops
			int after = writer.acknowledged().size();
			await().atMost(BOUND).until(() -> writer.acknowledged().size() >= after + 10);
			writer.close();
			acknowledged = writer.acknowledged();
			gap = writer.longestGapMillis();
			System.out.printf("upgrade of %s (%s): %d s, %d acknowledged writes, longest gap between two: %d ms%n",
					instanceId, (replicas == 0) ? "single" : "ha, WAIT " + replicas,
					Duration.ofNanos(System.nanoTime() - started).toSeconds(), acknowledged.size(), gap);
			writer.gaps().forEach((line) -> System.out.println("  " + line));
		}
		// a single Redis restarts in about a second, which a loaded machine's first poll
		// may miss (CI saw only the success): every description polled before it says
		// what is under way (UpgradeTests covers the single's in-progress one); the ha
		// instance's rolling update, seconds long, must show its switch-over
		assertThat(descriptions.subList(0, descriptions.size() - 1))
			.allSatisfy((description) -> assertThat(description).startsWith("upgrading to 1.1.0: "));
		assertThat(descriptions.get(descriptions.size() - 1)).startsWith("upgraded to 1.1.0: ");
		if (replicas > 0) {
			assertThat(descriptions).anySatisfy((description) -> assertThat(description)
				.startsWith("upgrading to 1.1.0: rolling update: switching over"));
		}
		// the binding's credentials are those the app had, and they work
		JsonNode credentials = api.call(HttpMethod.GET, bindingPath(instanceId, bound.bindingId()), null)
			.getBody()
			.path("credentials");
		assertThat(credentials).isEqualTo(bound.credentials());
		try (UnifiedJedis app = client.apply(credentials)) {
			for (int from = 0; from < acknowledged.size(); from += 500) {
				List<String> batch = acknowledged.subList(from, Math.min(acknowledged.size(), from + 500));
				assertThat(app.mget(batch.toArray(String[]::new))).as("acknowledged writes").containsOnly("v");
			}
			app.del(acknowledged.toArray(String[]::new));
		}
		return gap;
	}

	private static void provision(BrokerApi api, String instanceId, String planId) {
		assertThat(api
			.call(HttpMethod.PUT, instancePath(instanceId) + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
							+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\",\"maintenance_info\":"
							+ "{\"version\":\"1.0.0\"}}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
	}

	private static void succeeded(BrokerApi api, String instanceId, String operation) {
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode poll = api
				.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation?operation=" + operation, null)
				.getBody();
			assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isNotEqualTo("failed");
			return "succeeded".equals(poll.path("state").asText());
		});
	}

	private static Bound bind(BrokerApi api, String instanceId, String planId) {
		String bindingId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> bound = api.call(HttpMethod.PUT, bindingPath(instanceId, bindingId),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
						+ "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}");
		assertThat(bound.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return new Bound(instanceId, bindingId, bound.getBody().path("credentials"));
	}

	// what Cloud Controller sends for cf upgrade-service
	private static ResponseEntity<JsonNode> upgrade(BrokerApi api, String instanceId, String planId, String version) {
		return api.call(HttpMethod.PATCH, instancePath(instanceId) + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
						+ "\",\"context\":{\"platform\":\"cloudfoundry\",\"organization_guid\":\"org-1\","
						+ "\"space_guid\":\"space-1\"},\"previous_values\":{\"plan_id\":\"" + planId
						+ "\",\"service_id\":\"" + SERVICE_ID + "\",\"maintenance_info\":{\"version\":\"1.0.0\"}},"
						+ "\"maintenance_info\":{\"version\":\"" + version + "\"}}");
	}

	// Cloud Controller: the plan's version in the catalog differs from the instance's
	private static boolean upgradeAvailable(BrokerApi api, String instanceId, String planId) {
		String catalog = null;
		for (JsonNode plan : api.call(HttpMethod.GET, "/v2/catalog", null)
			.getBody()
			.path("services")
			.get(0)
			.path("plans")) {
			if (plan.path("id").asText().equals(planId)) {
				catalog = plan.path("maintenance_info").path("version").asText();
			}
		}
		return !instanceVersion(api, instanceId).equals(catalog);
	}

	private static String instanceVersion(BrokerApi api, String instanceId) {
		return api.call(HttpMethod.GET, instancePath(instanceId), null)
			.getBody()
			.path("maintenance_info")
			.path("version")
			.asText();
	}

	private static UnifiedJedis singleClient(JsonNode credentials) {
		return new JedisPooled(new HostAndPort(credentials.path("host").asText(), credentials.path("port").asInt()),
				config(credentials));
	}

	private static UnifiedJedis haClient(JsonNode credentials) {
		Set<HostAndPort> sentinels = new HashSet<>();
		credentials.path("sentinels")
			.forEach((sentinel) -> sentinels
				.add(new HostAndPort(sentinel.path("host").asText(), sentinel.path("port").asInt())));
		return new JedisSentineled(credentials.path("master_name").asText(), config(credentials), sentinels,
				config(credentials));
	}

	private static JedisClientConfig config(JsonNode credentials) {
		return DefaultJedisClientConfig.builder()
			.user(credentials.path("username").asText())
			.password(credentials.path("password").asText())
			.timeoutMillis(2000)
			.build();
	}

	private static List<HostAndPort> redisNodes(String instanceId) throws Exception {
		List<HostAndPort> nodes = new ArrayList<>();
		JSON.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body())
			.forEach((node) -> nodes.add(new HostAndPort(node.path("Service").path("Address").asText(),
					node.path("Service").path("Port").asInt())));
		return nodes;
	}

	private static String shipped(String template) throws Exception {
		try (var in = new ClassPathResource("marathon/" + template).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static String instancePath(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	private static String bindingPath(String instanceId, String bindingId) {
		return instancePath(instanceId) + "/service_bindings/" + bindingId;
	}

}
