package io.github.redisonmesos.localplatform.marathon;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Checks a definition against Marathon's own JSON schema ({@code AppDefinition.json} from
 * the contract fixtures), answering as Marathon does: wrong JSON types and missing fields
 * 400 {@code Invalid JSON}, other violations 422 {@code Object is not valid}, each with
 * Marathon's {@code details}. Only what the schema cannot say is checked by hand: rules
 * Marathon's validators add (external volumes, health check ports) and what a local run
 * needs (a command whose program is on this machine's PATH, an emulated check protocol).
 */
final class AppValidator {

	static final String SCHEMA = "/contract/marathon/schema/AppDefinition.json";

	// Keywords Marathon's JSON readers reject before its validators run.
	private static final Set<String> READER_ERRORS = Set.of("type", "required");

	private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

	// Words that come before the program: the program is the next word.
	private static final Set<String> PREFIXES = Set.of("exec", "{", "(", "!", "nohup", "command");

	// Words the shell runs itself, so there is no program to look for.
	private static final Set<String> BUILTINS = Set.of("cd", "echo", "export", "set", "true", "false", "test", "[",
			"printf", "read", "if", "for", "while", "until", "case", ":", ".", "eval", "trap", "ulimit", "umask",
			"wait", "exit");

	private final JsonSchema schema = load();

	private final String path;

	AppValidator(String path) {
		this.path = path;
	}

	/**
	 * Checks a whole new definition ({@code POST /v2/apps}).
	 */
	void validateNew(JsonNode request) {
		List<Map<String, Object>> details = checkSchema(request, true);
		details.addAll(rules((ObjectNode) request));
		throwIfAny(details);
	}

	/**
	 * Checks the fields a change sends ({@code PUT /v2/apps/{id}}); the merged definition
	 * then goes through {@link #checkRules(ObjectNode)}.
	 */
	void validatePatch(JsonNode request) {
		throwIfAny(checkSchema(request, false));
	}

	/**
	 * Checks what the schema cannot say.
	 */
	void checkRules(ObjectNode definition) {
		throwIfAny(rules(definition));
	}

	/**
	 * What Marathon's schema says about a definition.
	 * @param definition the definition (without read-only fields such as {@code tasks})
	 * @return the violations, empty when the schema accepts it
	 */
	Set<ValidationMessage> schemaViolations(JsonNode definition) {
		return this.schema.validate(definition);
	}

	private List<Map<String, Object>> checkSchema(JsonNode request, boolean whole) {
		List<Map<String, Object>> readerErrors = new ArrayList<>();
		List<Map<String, Object>> violations = new ArrayList<>();
		for (ValidationMessage message : schemaViolations(request)) {
			if ("required".equals(message.getType()) && !whole) {
				// A partial update names only the fields it changes.
				continue;
			}
			(READER_ERRORS.contains(message.getType()) ? readerErrors : violations).add(detail(message));
		}
		if (!readerErrors.isEmpty()) {
			throw MarathonException.invalidJson(readerErrors);
		}
		return violations;
	}

	private static void throwIfAny(List<Map<String, Object>> details) {
		if (!details.isEmpty()) {
			throw MarathonException.notValid(details);
		}
	}

	/**
	 * A schema violation in Marathon's words, at Marathon's path ({@code /a/b(0)/c}).
	 */
	private static Map<String, Object> detail(ValidationMessage message) {
		StringBuilder at = new StringBuilder();
		for (int i = 0; i < message.getInstanceLocation().getNameCount(); i++) {
			Object element = message.getInstanceLocation().getElement(i);
			at.append((element instanceof Integer index) ? "(" + index + ")" : "/" + element);
		}
		Object[] arguments = message.getArguments();
		String error = switch (message.getType()) {
			case "type" -> "error.expected.js" + switch (String.valueOf(arguments[1])) {
				case "integer", "number" -> "number";
				default -> String.valueOf(arguments[1]);
			};
			case "required" -> {
				at.append("/").append(arguments[0]);
				yield "error.path.missing";
			}
			case "maximum" -> "is greater than " + plain(arguments[0]);
			case "minimum" -> "got " + message.getInstanceNode() + ", expected " + plain(arguments[0]) + " or more";
			case "minLength" -> "must not be empty";
			case "pattern" -> "must fully match regular expression '" + arguments[0] + "'";
			case "enum" -> "is not one of (" + String.valueOf(arguments[0]).replaceAll("[\\[\\]\" ]", "") + ")";
			case "additionalProperties" -> {
				at.append("/").append(message.getProperty());
				yield "is not a field of Marathon's app definition";
			}
			case "not" -> "AppDefinition must either contain one of 'cmd' or 'args'";
			default -> message.getMessage().replaceFirst("^\\S+: ", "");
		};
		return MarathonException.detail(at.isEmpty() ? "/" : at.toString(), error);
	}

	private static String plain(Object number) {
		return new BigDecimal(String.valueOf(number)).stripTrailingZeros().toPlainString();
	}

	private List<Map<String, Object>> rules(ObjectNode request) {
		List<Map<String, Object>> details = new ArrayList<>();
		String id = request.path("id").asText("");
		if (AppDefinition.absoluteId(id).equals("/")) {
			details.add(MarathonException.detail("/id", "must name an app, not the root group"));
		}
		boolean hasCmd = request.path("cmd").isTextual() && !request.path("cmd").asText().isBlank();
		boolean hasArgs = request.path("args").isArray() && !request.path("args").isEmpty();
		if (!hasCmd && !hasArgs) {
			details.add(MarathonException.detail("/cmd",
					"the local platform runs commands on the host, not container images: give 'cmd' or 'args'"));
		}
		else if (hasCmd != hasArgs) {
			String program = hasCmd ? firstProgram(request.get("cmd").asText()) : request.get("args").get(0).asText();
			if (program != null && !onPath(program)) {
				details.add(MarathonException.detail(hasCmd ? "/cmd" : "/args", "'" + program
						+ "' is not on the PATH of the local platform; the command runs on the host, so install it there (for example: apt-get install redis-server)"));
			}
		}
		checkPorts(request, details);
		checkVolumes(request, details);
		checkHealthChecks(request, details);
		details.addAll(ConstraintRules.check(request.path("constraints")));
		return details;
	}

	/**
	 * Marathon's uniqueness rules for ports: a host port a task requires can be held only
	 * once, and a name must say which port it is.
	 */
	private void checkPorts(ObjectNode request, List<Map<String, Object>> details) {
		JsonNode definitions = request.path("portDefinitions");
		if (!unique(definitions, "port")) {
			details.add(MarathonException.detail("/portDefinitions", "Ports must be unique."));
		}
		if (!unique(definitions, "name")) {
			details.add(MarathonException.detail("/portDefinitions", "Port names must be unique."));
		}
		for (String mappings : List.of("/container/portMappings", "/container/docker/portMappings")) {
			if (!unique(request.at(mappings), "name")) {
				details.add(MarathonException.detail(mappings, "Port names must be unique."));
			}
		}
		List<Integer> legacyPorts = new ArrayList<>();
		request.path("ports").forEach((port) -> {
			if (port.asInt() != 0) {
				legacyPorts.add(port.asInt());
			}
		});
		if (new HashSet<>(legacyPorts).size() != legacyPorts.size()) {
			details.add(MarathonException.detail("/", "ports must be unique"));
		}
	}

	/**
	 * Whether no two elements share a value of the field; 0 (a dynamic port) and a
	 * missing value repeat freely.
	 */
	private static boolean unique(JsonNode elements, String field) {
		Set<String> seen = new HashSet<>();
		for (JsonNode element : elements) {
			JsonNode value = element.path(field);
			boolean unset = value.isMissingNode() || value.isNull() || (value.isNumber() && value.asInt() == 0);
			if (!unset && !seen.add(value.asText())) {
				return false;
			}
		}
		return true;
	}

	private void checkVolumes(ObjectNode request, List<Map<String, Object>> details) {
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
		JsonNode strategy = request.path("upgradeStrategy");
		// Marathon refuses to run two writers of one external volume during an upgrade.
		if (external && strategy.path("minimumHealthCapacity").asDouble(1.0) > 0.5) {
			details.add(MarathonException.detail("/upgradeStrategy/minimumHealthCapacity",
					"must be 0.5 or less for apps with external volumes"));
		}
		if (external && strategy.path("maximumOverCapacity").asDouble(1.0) != 0) {
			details.add(MarathonException.detail("/upgradeStrategy/maximumOverCapacity",
					"must be 0 for apps with external volumes"));
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

	/**
	 * The program a shell command starts first, or null when it cannot be told without
	 * running a shell (variables, quoting, subshells).
	 */
	static String firstProgram(String cmd) {
		// a shell comment line runs nothing (the HA node template's cmd opens with one)
		String commands = cmd.lines().filter((line) -> !line.trim().startsWith("#")).collect(Collectors.joining("\n"));
		for (String word : commands.trim().split("[\\s;&|]+")) {
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

	private static JsonSchema load() {
		try (InputStream in = AppValidator.class.getResourceAsStream(SCHEMA)) {
			if (in == null) {
				throw new IllegalStateException(
						"Marathon's schema " + SCHEMA + " is missing: contract-fixtures must be on the classpath");
			}
			ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(in);
			// The file names the generic "http://json-schema.org/schema#", which the
			// validator would fetch over the network; its keywords are draft-04.
			schema.put("$schema", "http://json-schema.org/draft-04/schema#");
			return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
