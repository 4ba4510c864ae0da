package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisAppDefinitionsTests {

	private static final String ID = "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11";

	private static final String HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

	private final RedisAppDefinitions definitions = TestAppDefinitions.create();

	@Test
	void shippedTemplateRendersTheAppOfInterfacesMd() {
		JsonNode app = this.definitions.render(app(HASH));
		assertThat(app.path("id").asText()).isEqualTo("/osb-redis/" + ID);
		assertThat(app.path("instances").asInt()).isEqualTo(1);
		assertThat(app.path("cmd").asText())
			.endsWith("exec redis-server --port \"$PORT0\" --appendonly yes "
					+ "--dir \"$data\" --aclfile \"$acl\" --maxmemory 64mb")
			.contains("acl=\"$data/users.acl\"", "user default off");
		// the admin password never reaches Marathon: only the SHA-256 Redis keeps
		assertThat(app.path("env").path("REDIS_ADMIN_USER").asText()).isEqualTo("osb-admin");
		assertThat(app.path("env").path("REDIS_ADMIN_PASSWORD_SHA256").asText()).isEqualTo(HASH);
		assertThat(app.path("env").size()).isEqualTo(2);
		JsonNode volume = app.path("container").path("volumes").get(0);
		assertThat(volume.path("containerPath").asText()).isEqualTo("data");
		assertThat(volume.path("mode").asText()).isEqualTo("RW");
		assertThat(volume.path("external").path("name").asText()).isEqualTo("osb-redis-" + ID);
		assertThat(volume.path("external").path("provider").asText()).isEqualTo("dvdi");
		assertThat(volume.path("external").path("options").path("dvdi/driver").asText()).isEqualTo("rexray");
		assertThat(volume.path("external").path("size").asInt()).isEqualTo(1);
		assertThat(app.path("portDefinitions").get(0).path("name").asText()).isEqualTo("redis");
		assertThat(app.path("healthChecks").get(0).path("protocol").asText()).isEqualTo("MESOS_TCP");
		assertThat(app.path("healthChecks").get(0).path("portIndex").asInt()).isZero();
		assertThat(app.path("labels").path("consul").asText()).isEqualTo("redis-" + ID);
		assertThat(app.path("labels").path("osb_plan_id").asText()).isEqualTo("plan-1");
		assertThat(app.path("upgradeStrategy").path("maximumOverCapacity").asInt()).isZero();
	}

	@Test
	void renderedAppValidatesAgainstMarathonAppDefinitionSchema() {
		assertThat(MarathonSchema.violations(this.definitions.render(app(HASH)))).isEmpty();
	}

	@Test
	void schemaCheckRejectsAnAppMarathonWouldRefuse() {
		JsonNode bad = this.definitions.render(app(HASH));
		((com.fasterxml.jackson.databind.node.ObjectNode) bad).put("instancez", 1);
		assertThat(MarathonSchema.violations(bad)).isNotEmpty();
	}

	@Test
	void valuesAreJsonEscapedSoTheyCannotBreakTheDefinition() {
		JsonNode app = this.definitions.render(app("a\"b\\c\n}"));
		assertThat(app.path("env").path("REDIS_ADMIN_PASSWORD_SHA256").asText()).isEqualTo("a\"b\\c\n}");
	}

	@Test
	void operatorTemplateWithUnknownPlaceholderFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> template("{\"id\": \"${appId}\", \"cmd\": \"${nope}\"}"))
			.withMessageContaining("${nope}");
	}

	@Test
	void operatorTemplateStillUsingThePasswordPlaceholderFailsAtStartSayingWhatReplacedIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> template("{\"id\": \"${appId}\", \"env\": {\"P\": \"${password}\"}}"))
			.withMessageContaining("${password}")
			.withMessageContaining("${adminPasswordSha256}");
	}

	@Test
	void templateThatIsNotJsonOnceRenderedFailsAtStart() {
		assertThatIllegalStateException().isThrownBy(() -> template("{\"id\": ${appId}}"))
			.withMessageContaining("broker.marathon.app-template");
	}

	private static RedisAppDefinitions template(String json) {
		return new RedisAppDefinitions(new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ByteArrayResource(json.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(1),
				Duration.ofSeconds(1), ""), new ObjectMapper());
	}

	private static RedisDeployment app(String adminPasswordSha256) {
		return new RedisDeployment(ID, "service-1", "plan-1", 128, 0.1, "64mb", 1, "osb-admin", adminPasswordSha256);
	}

}
