package io.github.redisonmesos.localplatform.marathon;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a definition as Marathon does (type errors answer 400 {@code Invalid JSON}, rule
 * violations 422 {@code Object is not valid}) plus what only a local run needs: a command
 * whose program is on this machine's PATH.
 */
final class AppValidator {

	private static final Pattern ID_SEGMENT = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

	private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

	// Words that come before the program: the program is the next word.
	private static final Set<String> PREFIXES = Set.of("exec", "{", "(", "!", "nohup", "command");

	// Words the shell runs itself, so there is no program to look for.
	private static final Set<String> BUILTINS = Set.of("cd", "echo", "export", "set", "true", "false", "test", "[",
			"printf", "read", "if", "for", "while", "until", "case", ":", ".", "eval", "trap", "ulimit", "umask",
			"wait", "exit");

	private final String path;

	AppValidator(String path) {
		this.path = path;
	}

	/**
	 * Rejects fields of the wrong JSON type.
	 */
	void checkTypes(JsonNode request) {
		List<Map<String, Object>> details = new ArrayList<>();
		if (!request.isObject()) {
			details.add(MarathonException.detail("/", "error.expected.jsobject"));
			throw MarathonException.invalidJson(details);
		}
		expect(request, "id", JsonNodeType.STRING, "error.expected.jsstring", details);
		expect(request, "cmd", JsonNodeType.STRING, "error.expected.jsstring", details);
		expect(request, "instances", JsonNodeType.NUMBER, "error.expected.jsnumber", details);
		expect(request, "args", JsonNodeType.ARRAY, "error.expected.jsarray", details);
		expect(request, "healthChecks", JsonNodeType.ARRAY, "error.expected.jsarray", details);
		expect(request, "portDefinitions", JsonNodeType.ARRAY, "error.expected.jsarray", details);
		expect(request, "env", JsonNodeType.OBJECT, "error.expected.jsobject", details);
		expect(request, "labels", JsonNodeType.OBJECT, "error.expected.jsobject", details);
		expect(request, "container", JsonNodeType.OBJECT, "error.expected.jsobject", details);
		expect(request, "upgradeStrategy", JsonNodeType.OBJECT, "error.expected.jsobject", details);
		if (!details.isEmpty()) {
			throw MarathonException.invalidJson(details);
		}
	}

	/**
	 * Rejects a definition Marathon would reject, or one the local platform cannot run.
	 */
	void checkRules(ObjectNode request) {
		List<Map<String, Object>> details = new ArrayList<>();
		String id = request.path("id").asText("");
		if (id.isEmpty()) {
			details.add(MarathonException.detail("/id", "error.path.missing"));
		}
		else {
			for (String segment : AppDefinition.absoluteId(id).substring(1).split("/")) {
				if (!ID_SEGMENT.matcher(segment).matches()) {
					details.add(MarathonException.detail("/id", "'" + segment
							+ "' must contain only lowercase letters, digits, hyphens and dots, and begin and end with a letter or digit"));
				}
			}
		}
		boolean hasCmd = request.path("cmd").isTextual() && !request.path("cmd").asText().isBlank();
		boolean hasArgs = request.path("args").isArray() && !request.path("args").isEmpty();
		if (hasCmd && hasArgs) {
			details.add(MarathonException.detail("/", "AppDefinition must either contain one of 'cmd' or 'args'"));
		}
		else if (!hasCmd && !hasArgs) {
			details.add(MarathonException.detail("/cmd",
					"the local platform runs commands on the host, not container images: give 'cmd' or 'args'"));
		}
		else {
			String program = hasCmd ? firstProgram(request.get("cmd").asText()) : request.get("args").get(0).asText();
			if (program != null && !onPath(program)) {
				details.add(MarathonException.detail(hasCmd ? "/cmd" : "/args", "'" + program
						+ "' is not on the PATH of the local platform; the command runs on the host, so install it there (for example: apt-get install redis-server)"));
			}
		}
		if (request.path("instances").asInt(1) < 0) {
			details.add(
					MarathonException.detail("/instances", "got " + request.get("instances") + ", expected 0 or more"));
		}
		JsonNode strategy = request.path("upgradeStrategy");
		range(strategy, "minimumHealthCapacity", details);
		range(strategy, "maximumOverCapacity", details);
		checkVolumes(request, strategy, details);
		checkHealthChecks(request, details);
		if (!details.isEmpty()) {
			throw MarathonException.notValid(details);
		}
	}

	private void checkVolumes(ObjectNode request, JsonNode strategy, List<Map<String, Object>> details) {
		int index = 0;
		boolean external = false;
		for (JsonNode volume : request.path("container").path("volumes")) {
			String at = "/container/volumes(" + index++ + ")";
			if (volume.path("containerPath").asText("").isEmpty()) {
				details.add(MarathonException.detail(at + "/containerPath", "error.path.missing"));
			}
			if (volume.path("external").isObject()) {
				external = true;
				JsonNode spec = volume.get("external");
				if (!"dvdi".equals(spec.path("provider").asText())) {
					details.add(MarathonException.detail(at + "/external/provider", "is not one of (dvdi)"));
				}
				if (spec.path("name").asText("").isEmpty()) {
					details.add(MarathonException.detail(at + "/external/name", "error.path.missing"));
				}
			}
		}
		if (external) {
			// Marathon refuses to run two writers of one external volume during an
			// upgrade.
			if (strategy.path("minimumHealthCapacity").asDouble(1.0) > 0.5) {
				details.add(MarathonException.detail("/upgradeStrategy/minimumHealthCapacity",
						"must be 0.5 or less for apps with external volumes"));
			}
			if (strategy.path("maximumOverCapacity").asDouble(1.0) != 0) {
				details.add(MarathonException.detail("/upgradeStrategy/maximumOverCapacity",
						"must be 0 for apps with external volumes"));
			}
		}
	}

	private void checkHealthChecks(ObjectNode request, List<Map<String, Object>> details) {
		int portCount = request.path("portDefinitions").isArray() ? request.path("portDefinitions").size() : 1;
		JsonNode mappings = request.path("container").path("portMappings");
		if (mappings.isArray() && !mappings.isEmpty()) {
			portCount = mappings.size();
		}
		int index = 0;
		for (JsonNode check : request.path("healthChecks")) {
			String at = "/healthChecks(" + index++ + ")";
			String protocol = check.path("protocol").asText("HTTP");
			if (!HealthCheckSpec.SUPPORTED.contains(protocol)) {
				details.add(MarathonException.detail(at + "/protocol", "'" + protocol
						+ "' is not emulated by the local platform; use one of " + HealthCheckSpec.SUPPORTED));
			}
			if ("COMMAND".equals(protocol) && check.path("command").path("value").asText("").isEmpty()) {
				details.add(MarathonException.detail(at + "/command/value", "error.path.missing"));
			}
			if (!"COMMAND".equals(protocol) && !check.has("port") && check.path("portIndex").asInt(0) >= portCount) {
				details.add(MarathonException.detail(at + "/portIndex",
						"must refer to one of the app's " + portCount + " port(s)"));
			}
		}
	}

	private static void range(JsonNode strategy, String field, List<Map<String, Object>> details) {
		if (!strategy.hasNonNull(field)) {
			return;
		}
		double value = strategy.get(field).asDouble();
		if (value > 1) {
			details.add(MarathonException.detail("/upgradeStrategy/" + field, "is greater than 1"));
		}
		if (value < 0) {
			details.add(MarathonException.detail("/upgradeStrategy/" + field, "is less than 0"));
		}
	}

	private static void expect(JsonNode request, String field, JsonNodeType type, String error,
			List<Map<String, Object>> details) {
		JsonNode value = request.get(field);
		if (value != null && !value.isNull() && value.getNodeType() != type) {
			details.add(MarathonException.detail("/" + field, error));
		}
	}

	/**
	 * The program a shell command starts first, or null when it cannot be told without
	 * running a shell (variables, quoting, subshells).
	 */
	static String firstProgram(String cmd) {
		for (String word : cmd.trim().split("[\\s;&|]+")) {
			if (word.isEmpty() || PREFIXES.contains(word) || ASSIGNMENT.matcher(word).matches()) {
				continue;
			}
			if (BUILTINS.contains(word)) {
				return null;
			}
			return (word.contains("$") || word.contains("\"") || word.contains("'") || word.contains("`")) ? null
					: word;
		}
		return null;
	}

	boolean onPath(String program) {
		if (program.contains("/")) {
			// A relative path points into the sandbox, which does not exist yet.
			return !program.startsWith("/") || Files.isExecutable(Path.of(program));
		}
		for (String dir : this.path.split(File.pathSeparator)) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
				return true;
			}
		}
		return false;
	}

}
