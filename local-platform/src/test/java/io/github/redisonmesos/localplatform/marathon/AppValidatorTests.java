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
		ObjectNode request = fixture("contract/marathon/" + fixture);
		assertThatNoException().isThrownBy(() -> this.validator.validateNew(request));
	}

	@Test
	void brokerRedisAppIsAcceptedAndNormalizedWithItsVolumeAndPort() throws IOException {
		ObjectNode request = fixture("redis-app.json");
		this.validator.validateNew(request);
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
				fixture("contract/marathon/post_v2_apps.request.docker-bridge-portMappings-healthChecks.json"), "v");
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
	void wrongJsonTypesAreInvalidJsonAtMarathonsPaths() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("cmd", "date").put("instances", "two");
		request.putArray("healthChecks").addObject().put("protocol", "MESOS_TCP").put("portIndex", "first");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(request));
		assertThat(ex.status().value()).isEqualTo(400);
		assertThat(ex.body()).containsEntry("message", "Invalid JSON");
		assertThat(details(ex)).containsExactlyInAnyOrder("/instances: error.expected.jsnumber",
				"/healthChecks(0)/portIndex: error.expected.jsnumber");
	}

	@Test
	void schemaViolationsAreNotValidInMarathonsWords() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("cmd", "date").put("instances", -1);
		request.putObject("upgradeStrategy").put("minimumHealthCapacity", 1.5);
		request.putArray("healthChecks").addObject().put("protocol", "SOMETIMES");
		request.put("healthcheck", "typo");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(request));
		assertThat(ex.status().value()).isEqualTo(422);
		assertThat(details(ex)).contains("/instances: got -1, expected 0 or more",
				"/upgradeStrategy/minimumHealthCapacity: is greater than 1",
				"/healthChecks(0)/protocol: is not one of (HTTP,HTTPS,TCP,COMMAND,MESOS_HTTP,MESOS_HTTPS,MESOS_TCP)",
				"/healthcheck: is not a field of Marathon's app definition");
	}

	@Test
	void cmdAndArgsTogetherAreRejectedByTheSchema() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("cmd", "date");
		request.putArray("args").add("date");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(request));
		assertThat(details(ex)).containsExactly("/: AppDefinition must either contain one of 'cmd' or 'args'");
	}

	@Test
	void partialUpdateNeedsNoIdButRightTypes() {
		assertThatNoException()
			.isThrownBy(() -> this.validator.validatePatch(JSON.createObjectNode().put("cpus", 0.5)));
		MarathonException ex = catchThrowableOfType(MarathonException.class,
				() -> this.validator.validatePatch(JSON.createObjectNode().put("cpus", "lots")));
		assertThat(ex.status().value()).isEqualTo(400);
	}

	@Test
	void healthCheckOfAPortTheAppDoesNotHaveIsRejected() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("cmd", "date");
		request.putArray("healthChecks").addObject().put("protocol", "MESOS_TCP").put("portIndex", 1);
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(request));
		assertThat(details(ex)).containsExactly("/healthChecks(0)/portIndex: must refer to one of the app's 1 port(s)");
	}

	@SuppressWarnings("unchecked")
	private static java.util.List<String> details(MarathonException ex) {
		return ((java.util.List<Map<String, Object>>) ex.body().get("details")).stream()
			.map((detail) -> detail.get("path") + ": " + ((java.util.List<String>) detail.get("errors")).get(0))
			.toList();
	}

	@Test
	void requiredPortsAreAcceptedAndGiveExactlyTheirHostPorts() throws IOException {
		ObjectNode request = fixture("redis-app.json");
		request.put("requirePorts", true);
		request.withArray("portDefinitions").addObject().put("port", 31001);
		((ObjectNode) request.withArray("portDefinitions").get(0)).put("port", 31000);
		this.validator.validateNew(request);
		assertThat(AppDefinition.normalize(request, "v").ports()).extracting(AppDefinition.PortSpec::hostPort)
			.containsExactly(31000, 31001);
		request.put("requirePorts", false);
		assertThat(AppDefinition.normalize(request, "v").ports()).extracting(AppDefinition.PortSpec::hostPort)
			.as("without requirePorts a port is a service port only")
			.containsExactly(0, 0);
	}

	@Test
	void requirePortsWithPortZeroIsValidAsInMarathon() throws IOException {
		ObjectNode request = fixture("redis-app.json");
		request.put("requirePorts", true);
		assertThatNoException().isThrownBy(() -> this.validator.validateNew(request));
		assertThat(AppDefinition.normalize(request, "v").ports()).extracting(AppDefinition.PortSpec::hostPort)
			.containsExactly(0);
	}

	@Test
	void portsAndPortNamesMustBeUniqueInMarathonsWords() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("cmd", "date").put("requirePorts", true);
		request.putArray("portDefinitions")
			.add(JSON.createObjectNode().put("port", 31000).put("name", "redis"))
			.add(JSON.createObjectNode().put("port", 31000).put("name", "redis"))
			.add(JSON.createObjectNode().put("port", 0))
			.add(JSON.createObjectNode().put("port", 0));
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(request));
		assertThat(ex.status().value()).isEqualTo(422);
		assertThat(details(ex)).containsExactlyInAnyOrder("/portDefinitions: Ports must be unique.",
				"/portDefinitions: Port names must be unique.");
		ObjectNode legacy = JSON.createObjectNode().put("id", "/x").put("cmd", "date");
		legacy.putArray("ports").add(31000).add(31000).add(0).add(0);
		ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(legacy));
		assertThat(details(ex)).containsExactly("/: ports must be unique");
	}

	@Test
	void constraintsAreAcceptedAndTheirValuesCheckedAsMarathonDoes() {
		ObjectNode request = JSON.createObjectNode().put("id", "/x").put("cmd", "date");
		request.putArray("constraints")
			.add(JSON.createArrayNode().add("hostname").add("UNIQUE"))
			.add(JSON.createArrayNode().add("zone").add("CLUSTER").add("a"))
			.add(JSON.createArrayNode().add("rack").add("GROUP_BY").add("2"))
			.add(JSON.createArrayNode().add("hostname").add("LIKE").add("agent-[0-9]+"))
			.add(JSON.createArrayNode().add("hostname").add("MAX_PER").add("1"));
		assertThatNoException().isThrownBy(() -> this.validator.validateNew(request));

		ObjectNode invalid = JSON.createObjectNode().put("id", "/x").put("cmd", "date");
		invalid.putArray("constraints")
			.add(JSON.createArrayNode().add("hostname").add("UNIQUE").add("yes"))
			.add(JSON.createArrayNode().add("zone").add("CLUSTER"))
			.add(JSON.createArrayNode().add("rack").add("GROUP_BY").add("two"))
			.add(JSON.createArrayNode().add("hostname").add("UNLIKE"))
			.add(JSON.createArrayNode().add("hostname").add("LIKE").add("agent-[0-9"))
			.add(JSON.createArrayNode().add("hostname").add("MAX_PER").add("many"))
			.add(JSON.createArrayNode().add("hostname").add("NEAR"));
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(invalid));
		assertThat(ex.status().value()).isEqualTo(422);
		assertThat(details(ex)).contains("/constraints(0): Value specified but not used",
				"/constraints(1): Missing value", "/constraints(2): Value was specified but is not a number",
				"/constraints(3): A regular expression value must be provided",
				"/constraints(4): 'agent-[0-9' is not a valid regular expression",
				"/constraints(5): Value was not specified or is not a number");
		assertThat(details(ex)).anyMatch((detail) -> detail.startsWith("/constraints(6)(1): is not one of ("));
	}

	@Test
	void firstProgramSkipsShellPrefixesAndAssignments() {
		assertThat(AppValidator.firstProgram("exec redis-server --port \"$PORT0\"")).isEqualTo("redis-server");
		assertThat(AppValidator.firstProgram("FOO=1 exec python3 -m http.server")).isEqualTo("python3");
		assertThat(AppValidator.firstProgram("echo hi; missing-tool")).isNull();
		assertThat(AppValidator.firstProgram("exec \"$BINARY\"")).isNull();
		assertThat(AppValidator.firstProgram("# starts Redis\n  # on PORT0\numask 077\nredis-server")).isNull();
		assertThat(AppValidator.firstProgram("# starts Redis\nredis-server --port $PORT0")).isEqualTo("redis-server");
	}

	@Test
	void invalidIdsAreRejected() {
		ObjectNode request = JSON.createObjectNode().put("id", "/Bad_Id").put("cmd", "date");
		MarathonException ex = catchThrowableOfType(MarathonException.class, () -> this.validator.validateNew(request));
		assertThat(((java.util.List<?>) ex.body().get("details"))).singleElement()
			.satisfies((detail) -> assertThat(((Map<?, ?>) detail).get("path")).isEqualTo("/id"));
	}

	private static ObjectNode fixture(String name) throws IOException {
		try (InputStream in = AppValidatorTests.class.getResourceAsStream("/" + name)) {
			return (ObjectNode) JSON.readTree(in);
		}
	}

}
