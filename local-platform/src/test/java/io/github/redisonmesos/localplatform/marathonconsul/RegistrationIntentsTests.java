package io.github.redisonmesos.localplatform.marathonconsul;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.marathon.TaskInfo;
import io.github.redisonmesos.localplatform.marathon.TaskInfo.PortDefinition;
import io.github.redisonmesos.localplatform.marathonconsul.RegistrationIntents.Intent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * marathon-consul's registration rules ({@code apps/app.go} and its tests in
 * {@code apps/app_test.go} at {@code b95d95f}), case by case.
 */
class RegistrationIntentsTests {

	@Test
	void appWithoutConsulLabelIsNoConsulAppEvenWithLabelledPorts() {
		TaskInfo task = task(Map.of(), List.of(port(null, Map.of("consul", "x"))), 1234);
		assertThat(RegistrationIntents.isConsulApp(task)).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "''|rootGroup.subGroup.name", "true|rootGroup.subGroup.name",
			"/some-other/name|some-other.name", "'  ///'|rootGroup.subGroup.name", "custom|custom" })
	void serviceNameComesFromTheConsulLabelOrTheAppId(String label, String expected) {
		TaskInfo task = new TaskInfo("t1", "/rootGroup/subGroup/name", Map.of("consul", label), "127.0.0.1",
				List.of(1234), List.of(port(null, Map.of())), List.of());
		assertThat(RegistrationIntents.of(task)).extracting(Intent::name).containsExactly(expected);
	}

	@Test
	void withoutConsulLabelOnAPortOnlyTheFirstPortIsRegisteredWithTheAppsTags() {
		TaskInfo task = task(labels("consul", "true", "private", "tag", "other", "irrelevant"),
				List.of(port(null, Map.of("other", "tag")), port(null, Map.of())), 1234, 5678);
		assertThat(RegistrationIntents.of(task)).containsExactly(new Intent("app-name", 1234, List.of("private")));
	}

	@Test
	void eachPortWithAConsulLabelIsRegisteredUnderItsNameWithItsTagsBeforeTheAppsTags() {
		TaskInfo task = task(labels("consul", "true", "common-tag", "tag"),
				List.of(port(null, labels("consul", "first-name", "first-tag", "tag")), port(null, Map.of()),
						port(null, labels("consul", "second-name", "second-tag", "tag"))),
				1234, 5678, 9012);
		assertThat(RegistrationIntents.of(task)).containsExactly(
				new Intent("first-name", 1234, List.of("first-tag", "common-tag")),
				new Intent("second-name", 9012, List.of("second-tag", "common-tag")));
	}

	@Test
	void aPortLabelledConsulTrueIsRegisteredUnderTheAppsName() {
		TaskInfo task = task(labels("consul", "custom"),
				List.of(port(null, Map.of()), port(null, labels("consul", "true"))), 1234, 5678);
		assertThat(RegistrationIntents.of(task)).containsExactly(new Intent("app-name", 5678, List.of()));
	}

	@Test
	void oneConsulLabelMayNameSeveralServicesWithTagsSelectedByName() {
		TaskInfo task = task(labels("consul", "true", "common-tag", "tag"),
				List.of(port(null, labels("consul", "first-name,second-name", "first-tag", "tag:first-name",
						"second-tag", "tag:second-name", "both", "tag"))),
				8080);
		assertThat(RegistrationIntents.of(task)).containsExactly(
				new Intent("first-name", 8080, List.of("first-tag", "both", "common-tag")),
				new Intent("second-name", 8080, List.of("second-tag", "both", "common-tag")));
	}

	@Test
	void portPlaceholdersInTagsBecomeTheNamedPortsHostPort() {
		TaskInfo task = task(labels("consul", "true"),
				List.of(port(null, labels("consul", "true", "something:{port:foo}", "tag", "other:{port:bar}", "tag")),
						port("foo", Map.of())),
				1234, 5678);
		assertThat(RegistrationIntents.of(task))
			.containsExactly(new Intent("app-name", 1234, List.of("something:5678", "other:{port:bar}")));
	}

	@Test
	void labelledPortsBeyondTheTasksPortsAreSkipped() {
		TaskInfo task = task(labels("consul", "true"),
				List.of(port(null, labels("consul", "first-name")), port(null, labels("consul", "second-name"))), 1234);
		assertThat(RegistrationIntents.of(task)).containsExactly(new Intent("first-name", 1234, List.of()));
	}

	@Test
	void taskWithoutPortsIsNotRegistered() {
		TaskInfo task = task(labels("consul", "true"), List.of());
		assertThat(RegistrationIntents.of(task)).isEmpty();
	}

	static TaskInfo task(Map<String, String> labels, List<PortDefinition> ports, Integer... hostPorts) {
		return new TaskInfo("app-name.instance-1", "/app-name", labels, "127.0.0.1", List.of(hostPorts), ports,
				List.of());
	}

	static PortDefinition port(String name, Map<String, String> labels) {
		return new PortDefinition(name, labels);
	}

	/**
	 * Labels in the order given, as an app definition keeps them.
	 */
	static Map<String, String> labels(String... keysAndValues) {
		Map<String, String> labels = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			labels.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return labels;
	}

}
