package io.github.redisonmesos.broker.component;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two broker instances on the local platform's Marathon and Consul, with real
 * redis-server tasks: tenant isolation between bindings across a Redis restart, and
 * concurrent provisions spread over both brokers.
 */
@EndToEnd
class LocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private static BrokerApi brokerA;

	private static BrokerApi brokerB;

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		first = broker();
		second = broker();
		brokerA = new BrokerApi(port(first));
		brokerB = new BrokerApi(port(second));
	}

	@AfterAll
	static void stop() throws Exception {
		for (ConfigurableApplicationContext broker : new ConfigurableApplicationContext[] { first, second }) {
			if (broker != null) {
				broker.close();
			}
		}
	}

	@Test
	void eachBindingIsItsOwnUserRevokedOnUnbindAndTheOtherSurvivesARestartOfRedis() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(brokerA, instanceId);
		JsonNode first = bind(brokerA, instanceId, UUID.randomUUID().toString());
		JsonNode second = bind(brokerB, instanceId, UUID.randomUUID().toString());
		assertThat(first.path("username").asText()).isNotEqualTo(second.path("username").asText());
		assertThat(first.path("password").asText()).isNotEqualTo(second.path("password").asText());
		try (Jedis one = WireMockBrokerTestSupport.connect(first);
				Jedis two = WireMockBrokerTestSupport.connect(second)) {
			assertThat(one.incr("counter")).isEqualTo(1);
			assertThat(two.incr("counter")).isEqualTo(2);
			String firstBinding = first.path("username").asText().substring("b-".length());
			assertThat(brokerB.call(HttpMethod.DELETE, bindingPath(instanceId, firstBinding) + deleteQuery(), null)
				.getStatusCode()).isEqualTo(HttpStatus.OK);
			// the connection the first app had open is closed at once; its password is
			// dead
			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(one::ping);
			assertThatExceptionOfType(JedisAccessControlException.class)
				.isThrownBy(() -> WireMockBrokerTestSupport.connect(first).close())
				.withMessageContaining("WRONGPASS");
			assertThat(two.incr("counter")).isEqualTo(3);
		}

		String before = taskId(instanceId);
		assertThat(platform.post(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/restart")).statusCode())
			.isEqualTo(200);
		awaitNewTaskPassing(instanceId, before);
		// the instance's own port: the binding's port is where Redis listens again
		assertThat(passingPort(instanceId)).isEqualTo(second.path("port").asInt());
		try (Jedis app = WireMockBrokerTestSupport.connect(platform.atConsulsAddress(second, instanceId))) {
			assertThat(app.incr("counter")).isEqualTo(4);
		}
		try (Jedis anonymous = new Jedis(platform.redisAddress(instanceId), second.path("port").asInt())) {
			assertThatExceptionOfType(JedisDataException.class).isThrownBy(anonymous::ping)
				.withMessageContaining("NOAUTH");
		}
		String kv = everyValueUnder(kvPrefix() + "/");
		assertThat(kv).contains(instanceId)
			.doesNotContain(first.path("password").asText())
			.doesNotContain(second.path("password").asText())
			.doesNotContain(adminPassword(instanceId));
		// Marathon's copy of the definition has no password either
		String app = platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).body();
		assertThat(app).doesNotContain(adminPassword(instanceId))
			.contains(Passwords.redisHash(adminPassword(instanceId)));
	}

	/**
	 * With the default {@code address} host style a binding's host is the agent Redis ran
	 * on when it was bound, and a restart may move it to another agent (README, "DNS, in
	 * one place": an app that does not ask Consul again binds again): the uri's port,
	 * user and password hold wherever it runs, at the address Consul lists.
	 */
	@Test
	void theBindingsUnchangedUriAnswersAsItsUserAfterTwoRestartsOfRedis() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(brokerB, instanceId);
		JsonNode credentials = bind(brokerA, instanceId, UUID.randomUUID().toString());
		URI uri = URI.create(credentials.path("uri").asText());
		assertThat(uri.getPort()).isBetween(redisPorts().first(), redisPorts().last());
		try (Jedis app = new Jedis(uri)) {
			assertThat(app.incr("counter")).isEqualTo(1);
		}
		for (int restart = 1; restart <= 2; restart++) {
			String before = taskId(instanceId);
			assertThat(platform.post(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/restart"))
				.statusCode()).isEqualTo(200);
			awaitNewTaskPassing(instanceId, before);
			URI now = new URI(uri.getScheme(), uri.getUserInfo(), platform.redisAddress(instanceId), uri.getPort(),
					uri.getPath(), null, null);
			try (Jedis app = new Jedis(now)) {
				assertThat(app.aclWhoAmI()).isEqualTo(credentials.path("username").asText());
				assertThat(app.incr("counter")).isEqualTo(1 + restart);
			}
		}
	}

	@Test
	void instancesProvisionedAtOnceThroughTwoBrokersNeverShareAPort() throws Exception {
		List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), UUID.randomUUID().toString());
		ExecutorService pool = Executors.newFixedThreadPool(ids.size());
		try {
			List<Future<ResponseEntity<JsonNode>>> answers = new ArrayList<>();
			for (int i = 0; i < ids.size(); i++) {
				BrokerApi broker = (i % 2 == 0) ? brokerA : brokerB;
				String instanceId = ids.get(i);
				answers.add(pool.submit(() -> broker.call(HttpMethod.PUT,
						"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", provisionBody())));
			}
			for (Future<ResponseEntity<JsonNode>> answer : answers) {
				assertThat(answer.get(60, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			}
		}
		finally {
			pool.shutdownNow();
		}
		Set<Integer> ports = new HashSet<>();
		for (String instanceId : ids) {
			JsonNode app = JSON
				.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).body())
				.path("app");
			assertThat(app.path("requirePorts").asBoolean()).isTrue();
			ports.add(app.path("portDefinitions").get(0).path("port").asInt());
		}
		assertThat(ports).hasSize(ids.size())
			.allSatisfy((port) -> assertThat(port).isBetween(redisPorts().first(), redisPorts().last()));
		for (String instanceId : ids) {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> "succeeded".equals(lastOperation(brokerA, instanceId).path("state").asText()));
			assertThat(brokerA
				.call(HttpMethod.DELETE,
						"/v2/service_instances/" + instanceId + deleteQuery() + "&accepts_incomplete=true", null)
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		}
	}

	@Test
	void twentyFourConcurrentProvisionsOfOneIdOverTwoBrokersMakeExactlyOneAppAndAllAreAccepted() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		ExecutorService pool = Executors.newFixedThreadPool(24);
		List<Future<ResponseEntity<JsonNode>>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < 24; i++) {
				BrokerApi broker = (i % 2 == 0) ? brokerA : brokerB;
				answers.add(pool.submit(() -> broker.call(HttpMethod.PUT,
						"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", provisionBody())));
			}
			for (Future<ResponseEntity<JsonNode>> answer : answers) {
				assertThat(answer.get(60, TimeUnit.SECONDS).getStatusCode()).isIn(HttpStatus.ACCEPTED, HttpStatus.OK);
			}
		}
		finally {
			pool.shutdownNow();
		}
		JsonNode apps = JSON.readTree(platform.get(platform.marathon("/v2/apps")).body()).path("apps");
		List<JsonNode> mine = new ArrayList<>();
		apps.forEach((app) -> {
			if (app.path("id").asText().equals("/" + group() + "/" + instanceId)) {
				mine.add(app);
			}
		});
		assertThat(mine).hasSize(1);
		// the app runs the definition of the one record that won
		assertThat(mine.get(0).path("env").path("REDIS_ADMIN_PASSWORD_SHA256").asText())
			.isEqualTo(Passwords.redisHash(adminPassword(instanceId)));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> "succeeded".equals(lastOperation(brokerB, instanceId).path("state").asText()));
	}

	private static void provisionAndWait(BrokerApi broker, String instanceId) {
		ResponseEntity<JsonNode> accepted = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", provisionBody());
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> "succeeded".equals(lastOperation(broker, instanceId).path("state").asText()));
	}

	private static JsonNode lastOperation(BrokerApi broker, String instanceId) {
		return broker.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null).getBody();
	}

	private static JsonNode bind(BrokerApi broker, String instanceId, String bindingId) {
		ResponseEntity<JsonNode> response = broker.call(HttpMethod.PUT, bindingPath(instanceId, bindingId),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	private static String bindingPath(String instanceId, String bindingId) {
		return "/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId;
	}

	private static String deleteQuery() {
		return "?service_id=" + SERVICE_ID + "&plan_id=" + SMALL;
	}

	private static String provisionBody() {
		return "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
				+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}";
	}

	private static String taskId(String instanceId) throws Exception {
		JsonNode tasks = JSON
			.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/tasks")).body())
			.path("tasks");
		return tasks.isEmpty() ? "" : tasks.get(0).path("id").asText();
	}

	// Marathon replaced the task and finished the deployment, and Consul lists the new
	// task
	// as passing (marathon-consul's service ids start with the task id)
	private static void awaitNewTaskPassing(String instanceId, String before) {
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			JsonNode app = JSON
				.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).body())
				.path("app");
			String now = taskId(instanceId);
			JsonNode passing = JSON
				.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body());
			return app.path("deployments").isEmpty() && !now.isEmpty() && !now.equals(before) && passing.size() == 1
					&& passing.get(0).path("Service").path("ID").asText().startsWith(now);
		});
	}

	private static int passingPort(String instanceId) throws Exception {
		JsonNode passing = JSON
			.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body());
		return passing.isEmpty() ? 0 : passing.get(0).path("Service").path("Port").asInt();
	}

	private static String everyValueUnder(String prefix) throws Exception {
		StringBuilder values = new StringBuilder();
		for (JsonNode entry : JSON.readTree(platform.get(platform.consul("/v1/kv/" + prefix + "?recurse")).body())) {
			values.append(new String(Base64.getDecoder().decode(entry.path("Value").asText()))).append('\n');
		}
		return values.toString();
	}

	private static String adminPassword(String instanceId) throws Exception {
		String record = platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/instances/" + instanceId + "?raw"))
			.body();
		InstanceRecord instance = JSON.readValue(record, InstanceRecord.class);
		return TestSecrets.box().open(instance.adminPassword(), InstanceRecord.adminPasswordContext(instanceId));
	}

	private static LocalPlatform.Ports redisPorts() {
		return platform.redisPorts(LocalPlatformTests.class);
	}

	private static ConfigurableApplicationContext broker() {
		// arguments, not default properties: application.yml sets the port from PORT
		return InProcessBroker.start(platform, LocalPlatformTests.class);
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(LocalPlatformTests.class);
	}

	// this class's Consul KV prefix on the shared platform
	private static String kvPrefix() {
		return platform.kvPrefix(LocalPlatformTests.class);
	}

}
