package io.github.redisonmesos.localplatform.marathon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AppValidatorTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path bin;

	AppValidator validator;

	@BeforeEach
	void pathWithTheFixturesPrograms() throws IOException {
		// A PATH of empty executables, so the outcome does not depend on what this
		// machine has installed.
		for (String program : new String[] { "python3", "date", "env", "redis-server" }) {
			Path file = Files.createFile(this.bin.resolve(program));
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		this.validator = new AppValidator(this.bin.toString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "post_v2_apps.request.docker-bridge-portMappings-healthChecks.json",
			"post_v2_apps.request.external-volume-dvdi-rexray-docker.json",
			"post_v2_apps.request.external-volume-dvdi-rexray-mesos.json", "v0.10.1.post_v2_apps.request.json" })
	void upstreamRequestsAreAccepted(String fixture) throws IOException {
		ObjectNode request = fixture("fixtures/marathon/" + fixture);
		assertThatNoException().isThrownBy(() -> {
			this.validator.checkTypes(request);
			this.validator.checkRules(request);
		});
	}

	@Test
	void brokerRedisAppIsAcceptedAndNormalizedWithItsVolumeAndPort() throws IOException {
		ObjectNode request = fixture("redis-app.json");
		this.validator.checkRules(request);
		AppDefinition definition = AppDefinition.normalize(request, "2026-01-01T00:00:00.000Z");
		assertThat(definition.volumes()).singleElement()
			.satisfies((volume) -> assertThat(volume.externalName())
				.isEqualTo("osb-redis-4b1c2a5e-0c1f-4f4a-9d2e-7a1d0c9b8e77"));
		assertThat(definition.ports()).singleElement().satisfies((port) -> assertThat(port.name()).isEqualTo("redis"));
		assertThat(definition.startsBeforeKilling()).isFalse();
		assertThat(definition.healthChecks()).singleElement()
			.satisfies((check) -> assertThat(check.protocol()).isEqualTo("MESOS_TCP"));
	}

	@Test
	void dockerBridgeMappingsGiveOneHostPortEach() throws IOException {
		AppDefinition definition = AppDefinition.normalize(
				fixture("fixtures/marathon/post_v2_apps.request.docker-bridge-portMappings-healthChecks.json"), "v");
		assertThat(definition.ports()).hasSize(2);
		assertThat(definition.json().has("portDefinitions")).isFalse();
	}

	@Test
	void programMissingFromPathIsRejectedWithAnInstallHint() throws IOException {
		ObjectNode request = fixture("redis-app.json");
		request.put("cmd", "exec redis-sentinel --port $PORT0");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.checkRules(request));
		assertThat(ex.status().value()).isEqualTo(422);
		assertThat(ex.body().get("details").toString()).contains("/cmd", "redis-sentinel", "PATH");
	}

	@Test
	void externalVolumesNeedAnUpgradeStrategyWithoutOverCapacity() throws IOException {
		ObjectNode request = fixture("redis-app.json");
		request.putObject("upgradeStrategy").put("minimumHealthCapacity", 1).put("maximumOverCapacity", 1);
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.checkRules(request));
		assertThat(ex.body().get("details").toString()).contains("/upgradeStrategy/minimumHealthCapacity",
				"/upgradeStrategy/maximumOverCapacity");
	}

	@Test
	void wrongJsonTypesAreInvalidJson() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("instances", "two");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.checkTypes(request));
		assertThat(ex.status().value()).isEqualTo(400);
		assertThat(ex.body()).containsEntry("message", "Invalid JSON");
	}

	@Test
	void firstProgramSkipsShellPrefixesAndAssignments() {
		assertThat(AppValidator.firstProgram("exec redis-server --port \"$PORT0\"")).isEqualTo("redis-server");
		assertThat(AppValidator.firstProgram("FOO=1 exec python3 -m http.server")).isEqualTo("python3");
		assertThat(AppValidator.firstProgram("echo hi; missing-tool")).isNull();
		assertThat(AppValidator.firstProgram("exec \"$BINARY\"")).isNull();
	}

	@Test
	void invalidIdsAreRejected() {
		ObjectNode request = JSON.createObjectNode().put("id", "/Bad_Id").put("cmd", "date");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.checkRules(request));
		assertThat(((java.util.List<?>) ex.body().get("details"))).singleElement()
			.satisfies((detail) -> assertThat(((Map<?, ?>) detail).get("path")).isEqualTo("/id"));
	}

	private static ObjectNode fixture(String name) throws IOException {
		try (InputStream in = AppValidatorTests.class.getResourceAsStream("/" + name)) {
			return (ObjectNode) JSON.readTree(in);
		}
	}

}
