package io.github.redisonmesos.localplatform.marathon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.localplatform.process.LaunchRequest;
import io.github.redisonmesos.localplatform.process.LaunchRequest.VolumeLink;

/**
 * An app definition as JSON, so every field a client sends is kept and echoed as Marathon
 * does, with typed views of the fields the local platform acts on. Never changed once
 * made: every change is a copy, so snapshots can share it.
 */
final class AppDefinition {

	private final ObjectNode json;

	private AppDefinition(ObjectNode json) {
		this.json = json;
	}

	/**
	 * Wraps an already normalized definition (one read back from the state directory).
	 */
	static AppDefinition of(ObjectNode json) {
		return new AppDefinition(json);
	}

	/**
	 * Fills in the defaults Marathon reports for fields a request left out.
	 */
	static AppDefinition normalize(ObjectNode request, String version) {
		ObjectNode json = request.deepCopy();
		json.put("id", absoluteId(json.path("id").asText()));
		defaults(json, "instances", 1);
		defaults(json, "cpus", 1.0);
		defaults(json, "mem", 128.0);
		defaults(json, "disk", 0.0);
		defaults(json, "gpus", 0);
		defaults(json, "backoffSeconds", 1);
		defaults(json, "backoffFactor", 1.15);
		defaults(json, "maxLaunchDelaySeconds", 300);
		defaults(json, "requirePorts", false);
		defaults(json, "killSelection", "YOUNGEST_FIRST");
		for (String object : List.of("env", "labels")) {
			if (!json.path(object).isObject()) {
				json.putObject(object);
			}
		}
		for (String array : List.of("healthChecks", "constraints", "fetch", "dependencies")) {
			if (!json.path(array).isArray()) {
				json.putArray(array);
			}
		}
		if (!json.path("upgradeStrategy").isObject()) {
			json.putObject("upgradeStrategy");
		}
		defaults((ObjectNode) json.get("upgradeStrategy"), "minimumHealthCapacity", 1.0);
		defaults((ObjectNode) json.get("upgradeStrategy"), "maximumOverCapacity", 1.0);
		if (portMappings(json).isEmpty() && !json.path("portDefinitions").isArray()) {
			ArrayNode definitions = json.putArray("portDefinitions");
			// Marathon still accepts the pre-1.5 "ports" list and turns it into
			// definitions.
			if (json.path("ports").isArray()) {
				json.get("ports")
					.forEach((port) -> definitions.addObject().put("port", port.asInt()).put("protocol", "tcp"));
			}
			else {
				definitions.addObject().put("port", 0).put("protocol", "tcp");
			}
		}
		for (JsonNode check : json.get("healthChecks")) {
			if (check instanceof ObjectNode checkJson) {
				defaults(checkJson, "gracePeriodSeconds", 300);
				defaults(checkJson, "intervalSeconds", 60);
				defaults(checkJson, "timeoutSeconds", 20);
				defaults(checkJson, "maxConsecutiveFailures", 3);
				defaults(checkJson, "delaySeconds", 15);
				if (!checkJson.has("port") && !checkJson.has("command")) {
					defaults(checkJson, "portIndex", 0);
				}
			}
		}
		json.put("version", version);
		ObjectNode versionInfo = json.putObject("versionInfo");
		versionInfo.put("lastScalingAt", version);
		versionInfo.put("lastConfigChangeAt", version);
		return new AppDefinition(json);
	}

	static String absoluteId(String id) {
		String trimmed = id.replaceAll("/+$", "");
		return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
	}

	ObjectNode json() {
		return this.json;
	}

	String id() {
		return this.json.get("id").asText();
	}

	String version() {
		return this.json.path("version").asText();
	}

	String cmd() {
		JsonNode cmd = this.json.path("cmd");
		return cmd.isTextual() ? cmd.asText() : null;
	}

	List<String> args() {
		List<String> args = new ArrayList<>();
		this.json.path("args").forEach((arg) -> args.add(arg.asText()));
		return args;
	}

	int instances() {
		return this.json.path("instances").asInt(1);
	}

	Map<String, String> env() {
		return textFields(this.json.path("env"));
	}

	/**
	 * The artifacts the Mesos fetcher downloads into the sandbox before the command runs.
	 */
	List<LaunchRequest.Artifact> fetch() {
		List<LaunchRequest.Artifact> artifacts = new ArrayList<>();
		for (JsonNode artifact : this.json.path("fetch")) {
			String uri = artifact.path("uri").asText();
			String path = java.net.URI.create(uri).getPath();
			String name = artifact.path("destPath").asText(path.substring(path.lastIndexOf('/') + 1));
			artifacts.add(new LaunchRequest.Artifact(uri, name));
		}
		return artifacts;
	}

	Map<String, String> labels() {
		return textFields(this.json.path("labels"));
	}

	/**
	 * The host ports a task needs: 0 means any free port.
	 */
	List<PortSpec> ports() {
		List<PortSpec> ports = new ArrayList<>();
		List<JsonNode> mappings = portMappings(this.json);
		if (!mappings.isEmpty()) {
			mappings.forEach((mapping) -> ports.add(new PortSpec(mapping.path("hostPort").asInt(0),
					mapping.hasNonNull("name") ? mapping.get("name").asText() : null)));
			return ports;
		}
		boolean requirePorts = this.json.path("requirePorts").asBoolean(false);
		this.json.path("portDefinitions")
			.forEach((definition) -> ports.add(new PortSpec(requirePorts ? definition.path("port").asInt(0) : 0,
					definition.hasNonNull("name") ? definition.get("name").asText() : null)));
		return ports;
	}

	/**
	 * The port definitions, or the container's port mappings when it has any (Marathon
	 * 1.5 and later serves {@code container.docker.portMappings} as
	 * {@code container.portMappings}), with their names and labels: one per task port.
	 */
	List<TaskInfo.PortDefinition> portDefinitions() {
		List<JsonNode> entries = portMappings(this.json);
		if (entries.isEmpty()) {
			this.json.path("portDefinitions").forEach(entries::add);
		}
		return entries.stream()
			.map((entry) -> new TaskInfo.PortDefinition(entry.hasNonNull("name") ? entry.get("name").asText() : null,
					textFields(entry.path("labels"))))
			.toList();
	}

	List<HealthCheckSpec> healthChecks() {
		List<HealthCheckSpec> checks = new ArrayList<>();
		this.json.path("healthChecks").forEach((check) -> checks.add(HealthCheckSpec.of(check)));
		return checks;
	}

	List<VolumeLink> volumes() {
		List<VolumeLink> links = new ArrayList<>();
		for (JsonNode volume : this.json.path("container").path("volumes")) {
			String containerPath = volume.path("containerPath").asText("");
			if (volume.path("external").isObject()) {
				links.add(new VolumeLink(containerPath, volume.path("external").path("name").asText(), null));
			}
			else if (volume.path("hostPath").asText("").startsWith("/")) {
				links.add(new VolumeLink(containerPath, null, volume.get("hostPath").asText()));
			}
		}
		return links;
	}

	double minimumHealthCapacity() {
		return this.json.path("upgradeStrategy").path("minimumHealthCapacity").asDouble(1.0);
	}

	double maximumOverCapacity() {
		return this.json.path("upgradeStrategy").path("maximumOverCapacity").asDouble(1.0);
	}

	/**
	 * Whether new tasks start before old ones are killed: only when the strategy allows
	 * extra capacity and asks to keep some healthy. Otherwise old tasks go first, which
	 * is what external volumes need (one writer per volume).
	 */
	boolean startsBeforeKilling() {
		return maximumOverCapacity() > 0 && minimumHealthCapacity() > 0;
	}

	Duration launchDelay(int failures) {
		double seconds = this.json.path("backoffSeconds").asDouble(1)
				* Math.pow(this.json.path("backoffFactor").asDouble(1.15), Math.max(0, failures - 1));
		double capped = Math.min(seconds, this.json.path("maxLaunchDelaySeconds").asDouble(300));
		return Duration.ofMillis((long) (capped * 1000));
	}

	Duration killGracePeriod() {
		return Duration.ofSeconds(this.json.path("taskKillGracePeriodSeconds").asLong(3));
	}

	/**
	 * A copy with another instance count: a scale, which is a new version but no change
	 * of configuration.
	 */
	AppDefinition withInstances(int instances, String version) {
		AppDefinition scaled = withVersion(version, false);
		scaled.json.put("instances", instances);
		return scaled;
	}

	/**
	 * A copy with a new version, as every change of an app creates one.
	 */
	AppDefinition withVersion(String version, boolean configChange) {
		ObjectNode copy = this.json.deepCopy();
		copy.put("version", version);
		ObjectNode versionInfo = (ObjectNode) copy.get("versionInfo");
		versionInfo.put("lastScalingAt", version);
		if (configChange) {
			versionInfo.put("lastConfigChangeAt", version);
		}
		return new AppDefinition(copy);
	}

	private static List<JsonNode> portMappings(ObjectNode json) {
		JsonNode container = json.path("container");
		JsonNode mappings = container.path("portMappings").isArray() ? container.path("portMappings")
				: container.path("docker").path("portMappings");
		List<JsonNode> list = new ArrayList<>();
		if (mappings instanceof ArrayNode array) {
			array.forEach(list::add);
		}
		return list;
	}

	private static Map<String, String> textFields(JsonNode object) {
		Map<String, String> fields = new LinkedHashMap<>();
		// Secret references ({"secret": ...}) have no local store to resolve them from.
		object.properties().forEach((field) -> {
			if (field.getValue().isValueNode()) {
				fields.put(field.getKey(), field.getValue().asText());
			}
		});
		return fields;
	}

	private static void defaults(ObjectNode json, String field, Object value) {
		if (json.hasNonNull(field)) {
			return;
		}
		if (value instanceof Integer number) {
			json.put(field, number);
		}
		else if (value instanceof Double number) {
			json.put(field, number);
		}
		else if (value instanceof Boolean flag) {
			json.put(field, flag);
		}
		else {
			json.put(field, value.toString());
		}
	}

	record PortSpec(int hostPort, String name) {

	}

}
