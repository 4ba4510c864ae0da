package io.github.redisonmesos.localplatform;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.InProcessStarts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The platform with Consul ACLs on {@code deny}, set up as an operator does: the shipped
 * policies and tokens through {@code manifests/consul/apply.sh}, run for real (twice),
 * then each token used for what its holder does.
 * <p>
 * Alone while it runs ({@code @Isolated}): it reads the JVM's output, which another test
 * class's platform starting would mute for a moment.
 */
@Isolated
@ExtendWith(OutputCaptureExtension.class)
@EndToEnd
class ConsulAclTests {

	private static final String MANAGEMENT = "c0ffee00-management-token";

	private static final String FILTERED = "X-Consul-Results-Filtered-By-ACLs";

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass("--local-platform.consul-acl=deny",
			"--local-platform.consul-management-token=" + MANAGEMENT);

	@TempDir
	static Path work;

	private static String firstRun;

	private static String secondRun;

	private static Map<String, String> tokens;

	@BeforeAll
	static void applyTheShippedPoliciesTwice() throws Exception {
		Path vars = work.resolve("consul-tokens.yml");
		firstRun = apply(vars);
		Map<String, String> first = vars(vars);
		secondRun = apply(vars);
		tokens = vars(vars);
		assertThat(tokens).isEqualTo(first)
			.containsOnlyKeys("consul-token", "consul-app-token", "marathon-consul-token");
		assertThat(Files.getPosixFilePermissions(vars)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void applyShIsSafeToRunTwiceAndPrintsNoSecret() {
		assertThat(firstRun).contains("policy osb-redis-broker: created", "token consul-token: created");
		assertThat(secondRun).contains("policy osb-redis-broker: updated", "token consul-token: kept",
				"token consul-app-token: kept", "token marathon-consul-token: kept");
		for (String secret : tokens.values()) {
			assertThat(firstRun + secondRun).doesNotContain(secret);
		}
		assertThat(firstRun + secondRun).doesNotContain(MANAGEMENT);
	}

	@Test
	void theBrokersTokenWritesUnderItsPrefixOnly() {
		String broker = tokens.get("consul-token");
		assertThat(consul(broker, "PUT", "/v1/kv/osb-redis/instances/a", "{}").body()).isEqualTo("true");
		assertThat(consul(broker, "GET", "/v1/kv/osb-redis/instances/a", null).statusCode()).isEqualTo(200);
		HttpResponse<String> outside = consul(broker, "PUT", "/v1/kv/elsewhere/a", "{}");
		assertThat(outside.statusCode()).isEqualTo(403);
		assertThat(outside.body()).startsWith("Permission denied: token with AccessorID '")
			.endsWith("' lacks permission 'key:write' on \"elsewhere/a\"")
			.doesNotContain(broker);
		assertThat(consul(broker, "GET", "/v1/agent/self", null).statusCode()).isEqualTo(200);
	}

	@Test
	void theAppsTokenReadsNoKeyAndNoAgent() {
		String apps = tokens.get("consul-app-token");
		consul(MANAGEMENT, "PUT", "/v1/kv/osb-redis/instances/b", "{}");
		assertThat(consul(apps, "GET", "/v1/kv/osb-redis/instances/b", null).statusCode()).isEqualTo(403);
		HttpResponse<String> listed = consul(apps, "GET", "/v1/kv/osb-redis/?recurse", null);
		assertThat(listed.statusCode()).as("a list leaves out what the token may not read").isEqualTo(404);
		assertThat(listed.headers().firstValue(FILTERED)).hasValue("true");
		HttpResponse<String> self = consul(apps, "GET", "/v1/agent/self", null);
		assertThat(self.statusCode()).isEqualTo(403);
		assertThat(self.body()).contains("lacks permission 'agent:read' on \"local-platform\"");
	}

	@Test
	void marathonConsulRegistersWithItsTokenAndBothTokensFindRedisAndTheSentinels(CapturedOutput output) {
		createApp("/acl/redis-x", "redis-x");
		createApp("/acl/sntnl-x", "sntnl-x");
		// the bridge starts with no token: the anonymous token may write no service
		await().atMost(Duration.ofSeconds(20))
			.until(() -> output.getOut()
				.contains("marathon-consul.register-refused service=sntnl-x reason=Permission denied"));
		assertThat(health(MANAGEMENT, "redis-x")).isEmpty();
		HttpResponse<String> handed = platform.marathon("PUT", "/local-platform/marathon-consul/token",
				tokens.get("marathon-consul-token"));
		assertThat(handed.statusCode()).isEqualTo(204);
		for (String token : List.of(tokens.get("consul-token"), tokens.get("consul-app-token"))) {
			for (String service : List.of("redis-x", "sntnl-x")) {
				await().atMost(Duration.ofSeconds(20)).until(() -> health(token, service).size() == 1);
			}
		}
		assertThat(output.getOut()).doesNotContain(tokens.get("marathon-consul-token"));
		assertThat(output.getOut().split("register-refused service=redis-x", -1)).as("logged once per service")
			.hasSize(2);
	}

	@Test
	void aTokenWithoutSentinelReadSeesThemFilteredWithTheHeader() {
		registerDirectly("sntnl-y");
		String policy = "{\"Name\": \"redis-only\", \"Rules\": \"service_prefix \\\"redis-\\\" { policy = \\\"read\\\" }"
				+ "\\nnode_prefix \\\"\\\" { policy = \\\"read\\\" }\"}";
		assertThat(consul(MANAGEMENT, "PUT", "/v1/acl/policy", policy).statusCode()).isEqualTo(200);
		String secret = json(consul(MANAGEMENT, "PUT", "/v1/acl/token",
				"{\"Description\": \"old apps token\", \"Policies\": [{\"Name\": \"redis-only\"}]}"))
			.get("SecretID")
			.asText();
		HttpResponse<String> filtered = consul(secret, "GET", "/v1/health/service/sntnl-y?passing", null);
		assertThat(filtered.statusCode()).isEqualTo(200);
		assertThat(filtered.body()).isEqualTo("[]");
		assertThat(filtered.headers().firstValue(FILTERED)).hasValue("true");
		HttpResponse<String> services = consul(secret, "GET", "/v1/catalog/services", null);
		assertThat(json(services).has("sntnl-y")).isFalse();
		assertThat(services.headers().firstValue(FILTERED)).hasValue("true");
		HttpResponse<String> anonymous = platform.consul("GET", "/v1/health/service/sntnl-y", null);
		assertThat(anonymous.body()).isEqualTo("[]");
		assertThat(anonymous.headers().firstValue(FILTERED)).as("never told to anonymous callers").isEmpty();
		assertThat(health(tokens.get("consul-app-token"), "sntnl-y")).hasSize(1);
	}

	@Test
	void tokensComeFromTheHeaderTheQueryAndBearerAndAnUnknownOneIsRefused() {
		String broker = tokens.get("consul-token");
		consul(MANAGEMENT, "PUT", "/v1/kv/osb-redis/instances/c", "{}");
		assertThat(platform.consul("GET", "/v1/kv/osb-redis/instances/c?token=" + broker, null).statusCode())
			.isEqualTo(200);
		assertThat(platform.running()
			.consul("GET", "/v1/kv/osb-redis/instances/c", null, "Authorization", "Bearer " + broker)
			.statusCode()).isEqualTo(200);
		HttpResponse<String> unknown = consul("no-such-token", "GET", "/v1/kv/osb-redis/instances/c", null);
		assertThat(unknown.statusCode()).isEqualTo(403);
		assertThat(unknown.body()).isEqualTo("ACL not found");
		assertThat(platform.consul("GET", "/v1/status/leader", null).statusCode()).as("status is open").isEqualTo(200);
	}

	@Test
	void theAnonymousTokenCanBeGivenReadForConsulDns() {
		String anonymous = "/v1/acl/token/00000000-0000-0000-0000-000000000002";
		registerDirectly("redis-dns");
		consul(MANAGEMENT, "PUT", "/v1/acl/policy",
				"{\"Name\": \"dns-read\", \"Rules\": \"service_prefix \\\"\\\" { policy = \\\"read\\\" }\\n"
						+ "node_prefix \\\"\\\" { policy = \\\"read\\\" }\"}");
		try {
			assertThat(consul(MANAGEMENT, "PUT", anonymous, "{\"Policies\": [{\"Name\": \"dns-read\"}]}").statusCode())
				.isEqualTo(200);
			assertThat(json(platform.consul("GET", "/v1/health/service/redis-dns", null))).hasSize(1);
			assertThat(platform.consul("GET", "/v1/kv/osb-redis/?recurse", null).statusCode()).isEqualTo(404);
		}
		finally {
			consul(MANAGEMENT, "PUT", anonymous, "{\"Policies\": []}");
		}
		assertThat(json(platform.consul("GET", "/v1/health/service/redis-dns", null))).isEmpty();
	}

	@Test
	void registrationNeedsServiceWrite() {
		String body = "{\"Node\": \"local-platform\", \"Address\": \"127.0.0.1\", \"SkipNodeUpdate\": true, "
				+ "\"Service\": {\"Service\": \"redis-z\"}}";
		HttpResponse<String> refused = consul(tokens.get("consul-token"), "PUT", "/v1/catalog/register", body);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("lacks permission 'service:write' on \"redis-z\"");
		String changesTheNode = "{\"Node\": \"local-platform\", \"Address\": \"127.0.0.2\"}";
		assertThat(consul(tokens.get("marathon-consul-token"), "PUT", "/v1/catalog/register", changesTheNode).body())
			.contains("lacks permission 'node:write' on \"local-platform\"");
	}

	@Test
	void denyWithoutAManagementTokenStopsStartUpNamingTheVariable() {
		assertThatThrownBy(
				() -> InProcessStarts.alone(() -> new SpringApplicationBuilder(LocalPlatformApplication.class).run(
						"--local-platform.marathon-port=0", "--local-platform.consul-port=0",
						"--local-platform.libstorage-port=0", "--local-platform.state-dir=" + work.resolve("refused"),
						"--local-platform.consul-acl=deny")))
			.hasStackTraceContaining("LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN");
	}

	private static void registerDirectly(String service) {
		String body = "{\"Node\": \"local-platform\", \"Address\": \"127.0.0.1\", \"SkipNodeUpdate\": true, "
				+ "\"Service\": {\"ID\": \"" + service + "-1\", \"Service\": \"" + service + "\", \"Port\": 1}}";
		assertThat(consul(MANAGEMENT, "PUT", "/v1/catalog/register", body).statusCode()).isEqualTo(200);
	}

	private static void createApp(String id, String service) {
		String app = """
				{"id": "%s", "cmd": "exec sleep 300", "labels": {"consul": "%s"}}
				""".formatted(id, service);
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
	}

	private static JsonNode health(String token, String service) {
		return json(consul(token, "GET", "/v1/health/service/" + service + "?passing", null));
	}

	private static HttpResponse<String> consul(String token, String method, String path, String body) {
		return platform.running().consul(method, path, body, "X-Consul-Token", token);
	}

	private static String apply(Path vars) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", Path.of("..", "manifests", "consul", "apply.sh").toString(),
				vars.toString())
			.redirectErrorStream(true);
		builder.environment().put("CONSUL_HTTP_ADDR", platform.running().consulUrl());
		builder.environment().put("CONSUL_HTTP_TOKEN", MANAGEMENT);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private static Map<String, String> vars(Path file) throws IOException {
		Map<String, String> vars = new LinkedHashMap<>();
		for (String line : Files.readAllLines(file)) {
			String[] keyValue = line.split(":\\s*", 2);
			vars.put(keyValue[0], keyValue[1].replace("\"", ""));
		}
		return vars;
	}

}
