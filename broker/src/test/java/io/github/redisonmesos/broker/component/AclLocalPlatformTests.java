package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's Consul set-up, end to end: the local platform's Consul with ACLs on
 * {@code deny}, the shipped policies and tokens made by {@code manifests/consul/apply.sh}
 * (run for real, twice), marathon-consul registering with its token, the broker with
 * {@code CONSUL_TOKEN} and bound apps with {@code consul_token}. A {@code small} and an
 * {@code ha} instance provision, bind, are found (the Redis and the Sentinels) with the
 * apps' token, unbind and deprovision; a broker token missing the policy's {@code sntnl-}
 * rule fails an {@code ha} provision at once, naming the permission.
 */
@EndToEnd
class AclLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final Duration BOUND = Duration.ofSeconds(120);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String MANAGEMENT_TOKEN = UUID.randomUUID().toString();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static Path work;

	private static LocalPlatform platform;

	private static Map<String, String> tokens;

	private static ConfigurableApplicationContext broker;

	private static BrokerApi api;

	@BeforeAll
	static void start() throws Exception {
		work = Files.createTempDirectory("acl-platform");
		platform = new LocalPlatform(work.resolve("state"), List.of(),
				Map.of("LOCAL_PLATFORM_CONSUL_ACL", "deny", "LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN", MANAGEMENT_TOKEN),
				null);
		Path vars = work.resolve("consul-tokens.yml");
		String first = applyShippedPolicies(vars);
		tokens = readVars(vars);
		assertThat(tokens).containsKeys("consul-token", "consul-app-token", "marathon-consul-token");
		// safe to run twice: the same tokens, and no secret printed either time
		String second = applyShippedPolicies(vars);
		assertThat(readVars(vars)).isEqualTo(tokens);
		assertThat(first + second).doesNotContain(tokens.values()).doesNotContain(MANAGEMENT_TOKEN);
		// as an operator puts it into marathon-consul.json's --consul-token
		HttpResponse<String> handed = HTTP
			.send(HttpRequest.newBuilder(URI.create(platform.marathon("/local-platform/marathon-consul/token")))
				.PUT(HttpRequest.BodyPublishers.ofString(tokens.get("marathon-consul-token")))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(handed.statusCode()).isBetween(200, 204);
		broker = startBroker(tokens.get("consul-token"));
		api = InProcessBroker.api(broker);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (platform != null) {
			platform.close();
		}
	}

	@Test
	void smallProvisionsBindsIsFoundWithTheAppsTokenAndDeprovisions() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisioned(api, instanceId, SMALL);
		JsonNode credentials = bind(instanceId, SMALL);
		assertThat(credentials.path("consul_token").asText()).isEqualTo(tokens.get("consul-app-token"));

		// the app's view: its token finds its Redis, and the address serves its user
		JsonNode entries = consulAsApp(credentials,
				"/v1/health/service/" + credentials.path("consul_service").asText() + "?passing");
		assertThat(entries).hasSize(1);
		HostAndPort redis = new HostAndPort(entries.get(0).path("Service").path("Address").asText(),
				entries.get(0).path("Service").path("Port").asInt());
		try (Jedis jedis = new Jedis(redis,
				DefaultJedisClientConfig.builder()
					.user(credentials.path("username").asText())
					.password(credentials.path("password").asText())
					.build())) {
			assertThat(jedis.incr("counter")).isEqualTo(1);
		}
		// and reads no record of the broker's: its own instance's is refused, a listing
		// is
		// empty (Consul filters keys out of recursive reads)
		assertThat(consulStatus(credentials.path("consul_token").asText(), "/v1/kv/osb-redis/instances/" + instanceId))
			.isEqualTo(403);
		assertThat(consulStatus(credentials.path("consul_token").asText(), "/v1/kv/osb-redis/?recurse")).isEqualTo(404);

		unbindAndDeprovision(api, instanceId, SMALL);
	}

	@Test
	void haProvisionsAndTheAppsTokenFindsTheSentinels() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisioned(api, instanceId, HA);
		JsonNode credentials = bind(instanceId, HA);
		assertThat(consulAsApp(credentials,
				"/v1/health/service/" + credentials.path("consul_sentinel_service").asText() + "?passing"))
			.hasSize(3);
		assertThat(consulAsApp(credentials,
				"/v1/health/service/" + credentials.path("consul_service").asText() + "?passing"))
			.hasSize(3);
		unbindAndDeprovision(api, instanceId, HA);
	}

	@Test
	void aBrokerTokenWithoutSentinelReadFailsAnHaProvisionNamingThePermission() throws Exception {
		// the shipped broker policy less its sntnl- rule
		String rules = Files.readString(Path.of("../manifests/consul/broker-policy.hcl"))
			.replaceAll("(?s)service_prefix \"sntnl-\"\\s*\\{[^}]*}", "");
		assertThat(rules).contains("service_prefix \"redis-\"").doesNotContain("service_prefix \"sntnl-\"");
		String policy = "broker-without-sentinels-" + UUID.randomUUID();
		assertThat(management("PUT", "/v1/acl/policy", JSON.createObjectNode().put("Name", policy).put("Rules", rules))
			.statusCode()).isEqualTo(200);
		HttpResponse<String> token = management("PUT", "/v1/acl/token",
				JSON.createObjectNode()
					.put("Description", "a broker token missing one rule")
					.set("Policies", JSON.createArrayNode().add(JSON.createObjectNode().put("Name", policy))));
		assertThat(token.statusCode()).isEqualTo(200);
		ConfigurableApplicationContext lacking = startBroker(JSON.readTree(token.body()).path("SecretID").asText());
		try {
			BrokerApi lackingApi = InProcessBroker.api(lacking);
			String instanceId = UUID.randomUUID().toString();
			assertThat(lackingApi
				.call(HttpMethod.PUT, instancePath(instanceId) + "?accepts_incomplete=true", provisionBody(HA))
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			// failed by name well before the provision's timeout (10 minutes)
			JsonNode failed = await().atMost(BOUND)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> lastOperation(lackingApi, instanceId),
						(poll) -> !"in progress".equals(poll.path("state").asText()));
			assertThat(failed.path("state").asText()).isEqualTo("failed");
			assertThat(failed.path("description").asText()).contains("sntnl-" + instanceId)
				.contains("service:read")
				.contains("CONSUL_TOKEN");
			// the broker with the shipped policy cleans up
			unbindAndDeprovision(api, instanceId, HA, null);
		}
		finally {
			lacking.close();
		}
	}

	private static void provisioned(BrokerApi brokerApi, String instanceId, String plan) {
		assertThat(brokerApi
			.call(HttpMethod.PUT, instancePath(instanceId) + "?accepts_incomplete=true", provisionBody(plan))
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		JsonNode done = await().atMost(BOUND)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> lastOperation(brokerApi, instanceId),
					(poll) -> !"in progress".equals(poll.path("state").asText()));
		assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
	}

	private static JsonNode bind(String instanceId, String plan) {
		ResponseEntity<JsonNode> bound = api.call(HttpMethod.PUT,
				instancePath(instanceId) + "/service_bindings/" + bindingOf(instanceId), "{\"service_id\":\""
						+ SERVICE_ID + "\",\"plan_id\":\"" + plan + "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}");
		assertThat(bound.getStatusCode()).as(String.valueOf(bound.getBody())).isEqualTo(HttpStatus.CREATED);
		return bound.getBody().path("credentials");
	}

	private static void unbindAndDeprovision(BrokerApi brokerApi, String instanceId, String plan) {
		assertThat(brokerApi
			.call(HttpMethod.DELETE,
					instancePath(instanceId) + "/service_bindings/" + bindingOf(instanceId) + "?service_id="
							+ SERVICE_ID + "&plan_id=" + plan,
					null)
			.getStatusCode()).isEqualTo(HttpStatus.OK);
		unbindAndDeprovision(brokerApi, instanceId, plan, null);
	}

	private static void unbindAndDeprovision(BrokerApi brokerApi, String instanceId, String plan, Void noBinding) {
		ResponseEntity<JsonNode> deleting = brokerApi.call(HttpMethod.DELETE,
				instancePath(instanceId) + "?accepts_incomplete=true&service_id=" + SERVICE_ID + "&plan_id=" + plan,
				null);
		assertThat(deleting.getStatusCode().value()).isIn(200, 202);
		await().atMost(BOUND)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> brokerApi.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation", null)
				.getStatusCode() == HttpStatus.GONE);
	}

	private static JsonNode lastOperation(BrokerApi brokerApi, String instanceId) {
		return brokerApi.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation", null).getBody();
	}

	private static JsonNode consulAsApp(JsonNode credentials, String path) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.consul(path)))
			.header("X-Consul-Token", credentials.path("consul_token").asText())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static int consulStatus(String token, String path) throws Exception {
		return HTTP
			.send(HttpRequest.newBuilder(URI.create(platform.consul(path))).header("X-Consul-Token", token).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static HttpResponse<String> management(String method, String path, JsonNode body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(platform.consul(path)))
			.header("X-Consul-Token", MANAGEMENT_TOKEN)
			.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * {@code manifests/consul/apply.sh} as an operator runs it, the management token in
	 * its environment.
	 * @return what it printed
	 */
	private static String applyShippedPolicies(Path vars) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", "../manifests/consul/apply.sh", vars.toString())
			.redirectErrorStream(true);
		builder.environment().put("CONSUL_HTTP_ADDR", platform.consul(""));
		builder.environment().put("CONSUL_HTTP_TOKEN", MANAGEMENT_TOKEN);
		Process apply = builder.start();
		assertThat(apply.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(apply.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(apply.exitValue()).as(output).isZero();
		return output;
	}

	private static Map<String, String> readVars(Path vars) throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : Files.readAllLines(vars)) {
			int colon = line.indexOf(':');
			if (!line.startsWith("#") && colon > 0) {
				values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim().replace("\"", ""));
			}
		}
		return values;
	}

	private static ConfigurableApplicationContext startBroker(String consulToken) {
		// arguments of this JVM, not of a process: no token reaches a command line
		return InProcessBroker.start(platform, AclLocalPlatformTests.class, "--CONSUL_TOKEN=" + consulToken,
				"--CONSUL_APP_TOKEN=" + tokens.get("consul-app-token"),
				"--BROKER_MARATHON_REDIS_PORTS=" + platform.redisPorts(AclLocalPlatformTests.class),
				"--broker.reconcile.ha-interval=1s", "--BROKER_VOLUMES_URL=" + platform.libStorage(""),
				"--BROKER_VOLUMES_SERVICE=local", "--BROKER_VOLUMES_RETENTION=0");
	}

	private static String provisionBody(String plan) {
		return "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + plan
				+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}";
	}

	private static String instancePath(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	private static String bindingOf(String instanceId) {
		return "b" + instanceId.substring(1);
	}

}
