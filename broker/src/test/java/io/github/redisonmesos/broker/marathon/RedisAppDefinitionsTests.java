package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisAppDefinitionsTests {

	private static final String ID = "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11";

	private final RedisAppDefinitions definitions = TestAppDefinitions.create();

	@Test
	void shippedTemplateRendersTheAppOfInterfacesMd() {
		JsonNode app = this.definitions.render(app("s3cret"));
		assertThat(app.path("id").asText()).isEqualTo("/osb-redis/" + ID);
		assertThat(app.path("instances").asInt()).isEqualTo(1);
		assertThat(app.path("cmd").asText()).isEqualTo("exec redis-server --port \"$PORT0\" --appendonly yes "
				+ "--dir \"$MESOS_SANDBOX/data\" --requirepass \"$REDIS_PASSWORD\" --maxmemory 64mb");
		assertThat(app.path("env").path("REDIS_PASSWORD").asText()).isEqualTo("s3cret");
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
		assertThat(MarathonSchema.violations(this.definitions.render(app("s3cret")))).isEmpty();
	}

	@Test
	void schemaCheckRejectsAnAppMarathonWouldRefuse() {
		JsonNode bad = this.definitions.render(app("s3cret"));
		((com.fasterxml.jackson.databind.node.ObjectNode) bad).put("instancez", 1);
		assertThat(MarathonSchema.violations(bad)).isNotEmpty();
	}

	@Test
	void valuesAreJsonEscapedSoTheyCannotBreakTheDefinition() {
		JsonNode app = this.definitions.render(app("a\"b\\c\n}"));
		assertThat(app.path("env").path("REDIS_PASSWORD").asText()).isEqualTo("a\"b\\c\n}");
	}

	@Test
	void operatorTemplateWithUnknownPlaceholderFailsNamingIt() {
		RedisAppDefinitions custom = new RedisAppDefinitions(new MarathonProperties(URI.create("http://127.0.0.1:1"),
				"osb-redis",
				new ByteArrayResource("{\"id\": \"${appId}\", \"cmd\": \"${nope}\"}".getBytes(StandardCharsets.UTF_8)),
				Duration.ofSeconds(1), Duration.ofSeconds(1)), new ObjectMapper());
		assertThatIllegalStateException().isThrownBy(() -> custom.render(app("x"))).withMessageContaining("${nope}");
	}

	private static RedisApp app(String password) {
		return new RedisApp(ID, "service-1", "plan-1", password, 128, 0.1, "64mb", 1);
	}

}
