package io.github.redisonmesos.broker.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisDataException;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The instance parameters (Redis settings) and the downsize guard end to end: a broker on
 * the local platform's Marathon and Consul, real redis-server tasks, the apps' side
 * through the binding's credentials. The {@code small} plan's maxmemory is 2 MB here, so
 * that a little data fills it.
 */
@EndToEnd
class ParametersLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	private static final long SMALL_MAXMEMORY = 2 * 1024 * 1024;

	private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext context;

	private static BrokerApi broker;

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		context = InProcessBroker.start(platform, ParametersLocalPlatformTests.class,
				"--broker.catalog.plans[0].id=" + SMALL, "--broker.catalog.plans[0].name=small",
				"--broker.catalog.plans[0].mem-mb=128", "--broker.catalog.plans[0].cpus=0.1",
				"--broker.catalog.plans[0].maxmemory=2mb", "--broker.catalog.plans[0].volume-gb=1",
				"--broker.catalog.plans[1].id=" + MEDIUM, "--broker.catalog.plans[1].name=medium",
				"--broker.catalog.plans[1].mem-mb=128", "--broker.catalog.plans[1].cpus=0.1",
				"--broker.catalog.plans[1].maxmemory=64mb", "--broker.catalog.plans[1].volume-gb=1");
		broker = InProcessBroker.api(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void keyspaceNotificationsSetAtProvisionReachASubscriberWithTheBindingsUser() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId, SMALL, "{\"notify-keyspace-events\":\"Egx\"}");
		JsonNode credentials = bind(instanceId);
		BlockingQueue<String> events = new LinkedBlockingQueue<>();
		JedisPubSub subscriber = new JedisPubSub() {
			@Override
			public void onPMessage(String pattern, String channel, String message) {
				events.add(channel + " " + message);
			}
		};
		// Spring Session's subscription: the key events of every database
		Thread listening = new Thread(() -> {
			try (Jedis jedis = connect(credentials)) {
				jedis.psubscribe(subscriber, "__keyevent@*__:*");
			}
		});
		listening.start();
		try (Jedis app = connect(credentials)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.getSubscribedChannels() == 1);
			app.set("session", "s");
			app.pexpire("session", 1);
			app.del("gone");
			app.set("gone", "g");
			app.del("gone");
			// g (generic: expire, del) and x (expired) events; no $ (string: set) event
			assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("__keyevent@0__:expire session");
			List<String> next = List.of(events.poll(10, TimeUnit.SECONDS), events.poll(10, TimeUnit.SECONDS));
			assertThat(next).containsExactlyInAnyOrder("__keyevent@0__:expired session", "__keyevent@0__:del gone");
		}
		finally {
			subscriber.punsubscribe();
			listening.join(10_000);
		}
		assertThat(parameters(instanceId)).containsEntry("notify-keyspace-events", "Egx")
			.containsEntry("maxmemory-policy", "noeviction");
	}

	@Test
	void allkeysLruEvictsWhereNoevictionRefusesAWriteWhenFull() throws Exception {
		String cache = UUID.randomUUID().toString();
		String data = UUID.randomUUID().toString();
		provisionAndWait(cache, SMALL, "{\"maxmemory-policy\":\"allkeys-lru\"}");
		provisionAndWait(data, SMALL, null);
		String value = "v".repeat(64 * 1024);
		try (Jedis app = connect(bind(cache))) {
			// twice the plan's maxmemory: every write is taken, older keys go
			for (int i = 0; i < 64; i++) {
				assertThat(app.set("k" + i, value)).isEqualTo("OK");
			}
			assertThat(app.dbSize()).isLessThan(64);
			assertThat(app.get("k63")).isEqualTo(value);
		}
		try (Jedis app = connect(bind(data))) {
			assertThatExceptionOfType(JedisDataException.class).isThrownBy(() -> {
				for (int i = 0; i < 64; i++) {
					app.set("k" + i, value);
				}
			}).withMessageContaining("OOM");
			assertThat(app.get("k0")).isEqualTo(value);
		}
	}

	@Test
	void anUpdateWithParametersRestartsRedisWithThemKeepingTheDataAndTheySurviveARestart() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId, SMALL, "{\"timeout\":300}");
		JsonNode credentials = bind(instanceId);
		try (Jedis app = connect(credentials)) {
			app.set("kept", "yes");
		}
		String before = taskId(instanceId);
		ResponseEntity<JsonNode> accepted = broker.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"appendfsync\":\"always\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		JsonNode done = await().atMost(Duration.ofSeconds(120))
			.until(() -> lastOperation(instanceId),
					(operation) -> operation.path("state").asText().equals("succeeded"));
		assertThat(done.path("description").asText()).contains("restarted", "the data stayed on the volume");
		assertThat(taskId(instanceId)).isNotEqualTo(before);
		// the update changed what it named and kept the rest
		assertThat(parameters(instanceId)).containsEntry("appendfsync", "always").containsEntry("timeout", 300);
		assertThat(settings(instanceId)).containsEntry("appendfsync", "always").containsEntry("timeout", "300");
		// the restart may have moved Redis to another agent: where Consul lists it
		try (Jedis app = connect(platform.atConsulsAddress(credentials, instanceId))) {
			assertThat(app.get("kept")).isEqualTo("yes");
		}
		// a restart (on the local platform, as a move: a new task) starts with them again
		String updated = taskId(instanceId);
		assertThat(platform.post(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/restart")).statusCode())
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(120)).until(() -> !taskId(instanceId).equals(updated) && passing(instanceId));
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> settings(instanceId).get("appendfsync"), "always"::equals);
		assertThat(settings(instanceId)).containsEntry("timeout", "300");
	}

	@Test
	void aBadValueOfEachParameterAnswers400AndCreatesOrChangesNothing() throws Exception {
		String existing = UUID.randomUUID().toString();
		provisionAndWait(existing, SMALL, null);
		String recordBefore = record(existing);
		String appBefore = app(existing);
		for (String bad : List.of("{\"maxmemory-policy\":\"lru\"}", "{\"notify-keyspace-events\":\"Egxq\"}",
				"{\"appendfsync\":\"no\"}", "{\"timeout\":-1}", "{\"maxmemory\":\"1gb\"}")) {
			String name = bad.substring(2, bad.indexOf('"', 2));
			String instanceId = UUID.randomUUID().toString();
			ResponseEntity<JsonNode> provision = broker.call(HttpMethod.PUT,
					"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", provisionBody(SMALL, bad));
			assertThat(provision.getStatusCode()).as(bad).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(provision.getBody().path("description").asText()).contains("'" + name + "'");
			assertThat(platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/instances/" + instanceId)).statusCode())
				.isEqualTo(404);
			assertThat(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).statusCode())
				.isEqualTo(404);
			ResponseEntity<JsonNode> update = broker.call(HttpMethod.PATCH,
					"/v2/service_instances/" + existing + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":" + bad + "}");
			assertThat(update.getStatusCode()).as(bad).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(update.getBody().path("description").asText()).contains("'" + name + "'");
		}
		assertThat(record(existing)).isEqualTo(recordBefore);
		assertThat(app(existing)).isEqualTo(appBefore);
	}

	@Test
	void aMediumInstanceHoldingMoreThanSmallsMaxmemoryRefusesTheChangeToSmallWith422() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId, MEDIUM, null);
		try (Jedis app = connect(bind(instanceId))) {
			String value = "v".repeat(64 * 1024);
			for (int i = 0; i < 48; i++) {
				app.set("k" + i, value);
			}
		}
		String recordBefore = record(instanceId);
		String appBefore = app(instanceId);
		ResponseEntity<JsonNode> refused = broker.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL + "\"}");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		String description = refused.getBody().path("description").asText();
		long used = Long.parseLong(description.replaceAll(".* uses (\\d+) bytes.*", "$1"));
		assertThat(used).isGreaterThan(3 * 1024 * 1024);
		assertThat(description).contains("plan small (2mb, " + SMALL_MAXMEMORY + " bytes)", "nothing was changed");
		assertThat(record(instanceId)).isEqualTo(recordBefore);
		assertThat(app(instanceId)).isEqualTo(appBefore);
	}

	private static void provisionAndWait(String instanceId, String planId, String parameters) {
		ResponseEntity<JsonNode> accepted = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", provisionBody(planId, parameters));
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> "succeeded".equals(lastOperation(instanceId).path("state").asText()));
	}

	private static String provisionBody(String planId, String parameters) {
		return "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
				+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\""
				+ ((parameters != null) ? ",\"parameters\":" + parameters : "") + "}";
	}

	private static JsonNode lastOperation(String instanceId) {
		return broker.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null).getBody();
	}

	private static JsonNode bind(String instanceId) {
		ResponseEntity<JsonNode> response = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	private static Jedis connect(JsonNode credentials) {
		return WireMockBrokerTestSupport.connect(credentials);
	}

	// what GET /v2/service_instances/:id says
	private static Map<String, Object> parameters(String instanceId) {
		ResponseEntity<JsonNode> instance = broker.call(HttpMethod.GET, "/v2/service_instances/" + instanceId, null);
		assertThat(instance.getStatusCode()).isEqualTo(HttpStatus.OK);
		return JSON.convertValue(instance.getBody().path("parameters"), Map.class);
	}

	// what the running Redis says, asked as the instance's admin
	private static Map<String, String> settings(String instanceId) throws Exception {
		JsonNode passing = JSON
			.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body());
		JsonNode service = passing.get(0).path("Service");
		try (Jedis admin = new Jedis(new HostAndPort(service.path("Address").asText(), service.path("Port").asInt()),
				DefaultJedisClientConfig.builder()
					.user(InstanceRecord.ADMIN_USER)
					.password(adminPassword(instanceId))
					.timeoutMillis(2000)
					.build())) {
			return admin.configGet("*");
		}
	}

	private static boolean passing(String instanceId) throws Exception {
		return JSON
			.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body())
			.size() == 1;
	}

	private static String adminPassword(String instanceId) throws Exception {
		InstanceRecord instance = JSON.readValue(record(instanceId), InstanceRecord.class);
		return TestSecrets.box().open(instance.adminPassword(), InstanceRecord.adminPasswordContext(instanceId));
	}

	private static String record(String instanceId) throws Exception {
		return platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/instances/" + instanceId + "?raw")).body();
	}

	private static String app(String instanceId) throws Exception {
		JsonNode app = JSON.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).body())
			.path("app");
		return app.path("version").asText() + " " + app.path("env") + " " + app.path("labels");
	}

	private static String taskId(String instanceId) throws Exception {
		JsonNode tasks = JSON
			.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/tasks")).body())
			.path("tasks");
		return tasks.isEmpty() ? "" : tasks.get(0).path("id").asText();
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(ParametersLocalPlatformTests.class);
	}

	// this class's Consul KV prefix on the shared platform
	private static String kvPrefix() {
		return platform.kvPrefix(ParametersLocalPlatformTests.class);
	}

}
