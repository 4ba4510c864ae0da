package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.tls.TlsDeliveries;

import org.springframework.core.io.Resource;

/**
 * Renders the Redis app definition from the configured template. Placeholders are
 * {@code ${name}}; values are JSON-escaped, so a template puts string placeholders inside
 * quotes and numeric ones without. Shell variables such as {@code $PORT0} have no braces
 * and are left alone. The template is rendered once at start-up, so a template that uses
 * an unknown placeholder or is not JSON stops the broker with the reason.
 */
class RedisAppDefinitions {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

	/** The label that says which Redis settings an app runs. */
	static final String SETTINGS_LABEL = "osb_settings";

	// the placeholders of the instance's parameters, which every template must pass on
	private static final List<String> SETTINGS = List.of("maxmemoryPolicy", "notifyKeyspaceEvents", "appendfsync",
			"timeout");

	// the one constraint HA node templates had before the broker set the placement itself
	private static final List<String> PLACEMENT = List.of("placementField", "placementOperator", "placementValue");

	/** The field of the constraint that keeps a node off the other nodes' agents. */
	static final String HOSTNAME = "hostname";

	static final String UNLIKE = "UNLIKE";

	private final String template;

	private final String haNodeTemplate;

	private final String group;

	private final ObjectMapper objectMapper;

	private final List<String> acceptedResourceRoles;

	/** No TLS delivery: an app with TLS on cannot be rendered. */
	static final UnaryOperator<String> NO_TLS = (instanceId) -> {
		throw new IllegalStateException("Instance " + instanceId + " asks for TLS, but this broker has no CA");
	};

	/** No TLS delivery, for a single Redis or an HA node. */
	static final BiFunction<String, OptionalInt, String> NO_TLS_APP = (instanceId, node) -> NO_TLS.apply(instanceId);

	// a new single-use fetch URI of the key and certificate of one app of an
	// instance: a single Redis (no node) or an HA node (tls.TlsDeliveries)
	private final BiFunction<String, OptionalInt, String> tlsFetchUri;

	private final List<JsonNode> samples;

	RedisAppDefinitions(MarathonProperties properties, ObjectMapper objectMapper) {
		this(properties, objectMapper, NO_TLS);
	}

	RedisAppDefinitions(MarathonProperties properties, ObjectMapper objectMapper, UnaryOperator<String> tlsFetchUri) {
		this(properties, objectMapper, (instanceId, node) -> tlsFetchUri.apply(instanceId));
	}

	RedisAppDefinitions(MarathonProperties properties, ObjectMapper objectMapper,
			BiFunction<String, OptionalInt, String> tlsFetchUri) {
		this.tlsFetchUri = tlsFetchUri;
		this.group = properties.group();
		this.acceptedResourceRoles = List.copyOf(properties.acceptedResourceRoles());
		this.objectMapper = objectMapper;
		this.template = read(properties.appTemplate(), "broker.marathon.app-template");
		this.haNodeTemplate = read(properties.haNodeTemplate(), "broker.marathon.ha-node-template");
		RedisDeployment.Builder check = RedisDeployment.builder("check", "check", "check")
			.resources(1, 1.0, "1mb", 1)
			.admin("check", "0".repeat(64));
		JsonNode sampleApp = render(check.build());
		if (properties.redisPortRange().isPresent() && !this.template.contains("${port}")) {
			throw new IllegalStateException("broker.marathon.redis-ports is set, but the Marathon app template does "
					+ "not use ${port} (with \"requirePorts\": ${requirePorts}), so instances would not get their "
					+ "own port; put both in the template's portDefinitions, as the shipped template does, or unset "
					+ "BROKER_MARATHON_REDIS_PORTS.");
		}
		requireSettings(this.template, "broker.marathon.app-template");
		requireSettings(this.haNodeTemplate, "broker.marathon.ha-node-template");
		refuseOldPlacement(this.haNodeTemplate);
		HaDeployment checkHa = new HaDeployment("check", 2, Duration.ofSeconds(5), Duration.ofSeconds(60), "check",
				"0".repeat(64), "check", "0".repeat(64), List.of(new HaDeployment.NodeSpec(0, 0, List.of())),
				List.of());
		JsonNode sampleNode = renderNode(check.ha(checkHa).build(), 0);
		this.samples = List.of(sampleApp, sampleNode);
	}

	/**
	 * The templates rendered with fixed values, single Redis first: what every instance
	 * runs but for its own values, so a change of image, command or anything else in the
	 * templates (or in the settings added to them) changes these.
	 * @return the rendered single Redis app and HA node app
	 */
	List<JsonNode> samples() {
		return this.samples;
	}

	// a template without them would run every instance with Redis's defaults whatever
	// its parameters say
	private static void requireSettings(String template, String setting) {
		List<String> missing = SETTINGS.stream().filter((name) -> !template.contains("${" + name + "}")).toList();
		if (!missing.isEmpty()) {
			throw new IllegalStateException("The Marathon app template does not use "
					+ missing.stream().map((name) -> "${" + name + "}").collect(Collectors.joining(", "))
					+ ", so the instances' parameters (Redis settings) would not reach Redis; pass them to "
					+ "redis-server as the shipped template does (through env, quoted); check " + setting + ".");
		}
	}

	// a template that still places a node itself would fight the broker's constraints:
	// stop at start with what to change rather than run nodes the broker cannot keep
	// apart
	private static void refuseOldPlacement(String template) {
		List<String> used = PLACEMENT.stream().filter((name) -> template.contains("${" + name + "}")).toList();
		if (!used.isEmpty()) {
			throw new IllegalStateException("The HA node template uses "
					+ used.stream().map((name) -> "${" + name + "}").collect(Collectors.joining(", "))
					+ ", but the broker now sets each node's placement itself: it adds [\"hostname\", \"UNLIKE\", "
					+ "<the other nodes' agents>] and, with ha.zone-attribute, [<attribute>, \"CLUSTER\", <zone>] "
					+ "to the template's constraints; remove the constraint with these placeholders (keep any "
					+ "constraint of your own) from broker.marathon.ha-node-template (docs/HA-NODE.md, Placement).");
		}
	}

	private static String read(Resource resource, String setting) {
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Cannot read the Marathon app template " + resource + "; check " + setting + ".", ex);
		}
	}

	/**
	 * The Marathon app id of an instance.
	 * @param instanceId the OSB instance id
	 * @return {@code /<group>/<instance-id>}
	 */
	String appId(String instanceId) {
		return "/" + this.group + "/" + instanceId;
	}

	String group() {
		return this.group;
	}

	/**
	 * Render the app definition.
	 * @param deployment the values
	 * @return the definition to send to Marathon
	 */
	JsonNode render(RedisDeployment deployment) {
		JsonNode app = finished(render(this.template, placeholders(deployment), "broker.marathon.app-template"),
				deployment);
		if (deployment.settings().tls().on() && app instanceof ObjectNode object) {
			delivered(object, deployment.instanceId(), OptionalInt.empty(), this.template,
					"broker.marathon.app-template");
			if (deployment.settings().tls() == TlsMode.OPTIONAL) {
				tlsPortBeside(object, deployment);
			}
		}
		if (deployment.seed() != null && app instanceof ObjectNode object) {
			seeded(object, deployment.seed());
		}
		return app;
	}

	// tls: optional: a second port definition, the TLS listener ($PORT1 in the cmd),
	// beside the plain one that Consul lists; its host port is the instance's own, as the
	// plain one is
	private void tlsPortBeside(ObjectNode app, RedisDeployment deployment) {
		JsonNode ports = app.path("portDefinitions");
		if (!ports.isArray() || ports.size() != 1 || !this.template.contains("$PORT1")) {
			throw new IllegalStateException("Instance " + deployment.instanceId() + " asks for tls 'optional', but "
					+ "the Marathon app template does not have exactly one port definition and a cmd that uses "
					+ "$PORT1 for the TLS port beside it, as the shipped template does; check "
					+ "broker.marathon.app-template.");
		}
		((ArrayNode) ports).addObject()
			.put("port", deployment.tlsPort())
			.put("protocol", "tcp")
			.put("name", "redis-tls");
	}

	private static final Pattern CONTAINER_PATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

	// a restore: the Mesos fetcher downloads the backup into the sandbox and the start
	// command, before the template's, checks its hash and places it as the base of the
	// append-only file on a volume that holds no data yet (never over data: a later start
	// finds appendonlydir); the settings label says the app carries the fetch, so that
	// the broker redeploys it without once Redis runs (the URL expires)
	private static void seeded(ObjectNode app, RestoreSeed seed) {
		String data = app.path("container").path("volumes").path(0).path("containerPath").asText("");
		if (!CONTAINER_PATH.matcher(data).matches() || data.contains("..")) {
			throw new IllegalStateException("A restore places the backup on the app's first volume, but the Marathon "
					+ "app template's first volume has no relative containerPath (got \"" + data + "\"); check the "
					+ "template's container.volumes.");
		}
		fetched(app, seed.uri(), RestoreSeed.SANDBOX_FILE);
		app.put("cmd", seedCommand(data, seed) + app.path("cmd").asText(""));
		ObjectNode labels = (ObjectNode) app.path("labels");
		labels.put(SETTINGS_LABEL, labels.path(SETTINGS_LABEL).asText("") + RestoreSeed.LABEL_SUFFIX + seed.backupId());
	}

	/**
	 * The shell that runs before the template's command in an app that carries a
	 * restore's fetch: on a volume without {@code appendonlydir}, the fetched file, once
	 * its SHA-256 is the recorded one, becomes
	 * {@code appendonlydir/appendonly.aof.1.base.rdb} with a manifest naming it (Redis 7
	 * loads an RDB base; a bare {@code dump.rdb} beside {@code appendonly yes} it
	 * ignores); a hash that differs stops the start.
	 * @param data the volume's path in the sandbox
	 * @param seed the backup
	 * @return the command's prologue, ending with {@code ; }
	 */
	static String seedCommand(String data, RestoreSeed seed) {
		String backup = seed.backupId();
		return "umask 077; r=\"$MESOS_SANDBOX/" + RestoreSeed.SANDBOX_FILE + "\"; a=\"$MESOS_SANDBOX/" + data
				+ "/appendonlydir\"; if [ -f \"$r\" ]; then if [ -e \"$a\" ]; then echo \"restore: $a exists: the "
				+ "volume holds data, backup " + backup + " is not placed over it\" >&2; elif echo \"" + seed.sha256()
				+ "  $r\" | sha256sum -c --status; then mkdir -p \"$a.new\" && mv \"$r\" "
				+ "\"$a.new/appendonly.aof.1.base.rdb\" && printf 'file appendonly.aof.1.base.rdb seq 1 type b\\n' > "
				+ "\"$a.new/appendonly.aof.manifest\" && mv \"$a.new\" \"$a\" || exit 1; echo \"restore: backup "
				+ backup + " placed as the AOF base\" >&2; else echo \"restore: the fetched backup " + backup
				+ " does not match its SHA-256 " + seed.sha256() + ": not started\" >&2; rm -f \"$r\"; exit 1; fi; "
				+ "rm -f \"$r\"; fi; ";
	}

	// the key and certificate reach the sandbox through the Mesos fetcher, once, with a
	// single-use token (docs/TLS.md); the cmd moves them to the volume. Each HA node
	// fetches its own.
	private void delivered(ObjectNode app, String instanceId, OptionalInt node, String templateText, String setting) {
		if (!templateText.contains("${tls}")) {
			throw new IllegalStateException("Instance " + instanceId + " asks for TLS, but the Marathon app template "
					+ "does not use ${tls}: Redis would start without it; pass it to the cmd as the shipped "
					+ "template does (env REDIS_TLS), or check " + setting + ".");
		}
		fetched(app, this.tlsFetchUri.apply(instanceId, node), TlsDeliveries.SANDBOX_FILE);
	}

	// one more file for the Mesos fetcher to download into the sandbox before the
	// command runs, after the template's own: as it is (no extraction, not executable),
	// never from the agent's cache (each URI is for this one launch)
	private static void fetched(ObjectNode app, String uri, String destPath) {
		JsonNode template = app.path("fetch");
		ArrayNode fetch = app.putArray("fetch");
		if (template.isArray()) {
			template.forEach(fetch::add);
		}
		fetch.addObject()
			.put("uri", uri)
			.put("extract", false)
			.put("executable", false)
			.put("cache", false)
			.put("destPath", destPath);
	}

	// what the broker adds whatever the template: the label of the settings the app runs,
	// and the operator's accepted roles (one setting for both templates)
	private JsonNode finished(JsonNode app, RedisDeployment deployment) {
		if (app instanceof ObjectNode object) {
			JsonNode labels = object.path("labels");
			(labels.isObject() ? (ObjectNode) labels : object.putObject("labels")).put(SETTINGS_LABEL,
					deployment.settings().label());
			if (!this.acceptedResourceRoles.isEmpty()) {
				ArrayNode roles = object.putArray("acceptedResourceRoles");
				this.acceptedResourceRoles.forEach(roles::add);
			}
		}
		return app;
	}

	/**
	 * Render the app definition of one node of an HA instance.
	 * @param deployment the values of an HA instance
	 * ({@link RedisDeployment#requireHa()})
	 * @param node the node's index
	 * @return the definition to send to Marathon
	 */
	JsonNode renderNode(RedisDeployment deployment, int node) {
		JsonNode app = finished(
				render(this.haNodeTemplate, nodePlaceholders(deployment, node), "broker.marathon.ha-node-template"),
				deployment);
		if (app instanceof ObjectNode object) {
			placed(object, deployment.requireHa().nodes().get(node));
			if (deployment.settings().tls().on()) {
				delivered(object, deployment.instanceId(), OptionalInt.of(node), this.haNodeTemplate,
						"broker.marathon.ha-node-template");
			}
			// a restore: node-0 starts alone, as the primary, with the data; the others
			// sync from it
			if (node == 0 && deployment.seed() != null) {
				seeded(object, deployment.seed());
			}
		}
		return app;
	}

	// the template's own constraints, then the operator's zone, then the other nodes'
	// agents: Marathon's constraints apply within one app, and each node is an app
	private static void placed(ObjectNode app, HaDeployment.NodeSpec spec) {
		JsonNode template = app.path("constraints");
		ArrayNode constraints = app.putArray("constraints");
		if (template.isArray()) {
			template.forEach(constraints::add);
		}
		if (!spec.placement().isEmpty()) {
			ArrayNode zone = constraints.addArray();
			spec.placement().forEach(zone::add);
		}
		if (!spec.avoidHosts().isEmpty()) {
			constraints.addArray().add(HOSTNAME).add(UNLIKE).add(unlike(spec.avoidHosts()));
		}
	}

	/**
	 * The {@code UNLIKE} value that matches exactly these hosts.
	 * @param hosts agents' host names or addresses
	 * @return each host with every character but letters and digits escaped, sorted,
	 * joined with {@code |}
	 */
	static String unlike(Set<String> hosts) {
		return hosts.stream()
			.sorted()
			.map((host) -> host.replaceAll("([^A-Za-z0-9])", "\\\\$1"))
			.collect(Collectors.joining("|"));
	}

	/**
	 * The agents a node's app keeps off, read back from its constraints.
	 * @param app the app as Marathon answers it
	 * @return the hosts of the broker's {@code hostname UNLIKE} constraint, empty without
	 * one
	 */
	static Set<String> avoidedHosts(JsonNode app) {
		Set<String> hosts = new LinkedHashSet<>();
		for (JsonNode constraint : app.path("constraints")) {
			if (HOSTNAME.equals(constraint.path(0).asText()) && UNLIKE.equals(constraint.path(1).asText())) {
				for (String host : constraint.path(2).asText("").split("(?<!\\\\)\\|")) {
					if (!host.isEmpty()) {
						hosts.add(host.replaceAll("\\\\(.)", "$1"));
					}
				}
			}
		}
		return hosts;
	}

	/**
	 * The Marathon app id of one node of an HA instance.
	 * @param instanceId the OSB instance id
	 * @param node the node's index
	 * @return {@code /<group>/<instance-id>/node-<n>}
	 */
	String nodeAppId(String instanceId, int node) {
		return appId(instanceId) + "/node-" + node;
	}

	private JsonNode render(String template, Map<String, String> values, String setting) {
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			if (value == null) {
				throw new IllegalStateException("The Marathon app template uses ${" + matcher.group(1)
						+ "}, which the broker does not know; known placeholders are " + values.keySet()
						+ " (the admin password reaches Redis as ${adminPasswordSha256} only); check " + setting + ".");
			}
			String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
			matcher.appendReplacement(rendered, Matcher.quoteReplacement(escaped));
		}
		matcher.appendTail(rendered);
		try {
			return this.objectMapper.readTree(rendered.toString());
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The Marathon app template is not valid JSON once rendered: "
					+ ex.getOriginalMessage() + "; check " + setting + ".");
		}
	}

	private Map<String, String> placeholders(RedisDeployment deployment) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("appId", appId(deployment.instanceId()));
		values.put("instanceId", deployment.instanceId());
		values.put("serviceId", deployment.serviceId());
		values.put("planId", deployment.planId());
		values.put("consulService", ServiceNames.of(deployment.instanceId()));
		values.put("adminUser", deployment.adminUser());
		values.put("adminPasswordSha256", deployment.adminPasswordSha256());
		values.put("mem", Integer.toString(deployment.memMb()));
		values.put("cpus", Double.toString(deployment.cpus()));
		values.put("maxmemory", deployment.maxmemory());
		values.put("volumeName", deployment.volumeName(0));
		values.put("volumeSize", Integer.toString(deployment.volumeGb()));
		values.put("port", Integer.toString(deployment.port()));
		values.put("requirePorts", Boolean.toString(deployment.fixedPort()));
		RedisSettings settings = deployment.settings();
		values.put("maxmemoryPolicy", settings.maxmemoryPolicy());
		values.put("notifyKeyspaceEvents", settings.notifyKeyspaceEvents());
		values.put("appendfsync", settings.appendfsync());
		values.put("timeout", Long.toString(settings.timeout()));
		values.put("tls", settings.tls().parameter());
		return values;
	}

	private Map<String, String> nodePlaceholders(RedisDeployment deployment, int node) {
		HaDeployment ha = deployment.requireHa();
		HaDeployment.NodeSpec spec = ha.nodes().get(node);
		Map<String, String> values = placeholders(deployment);
		values.put("appId", nodeAppId(deployment.instanceId(), node));
		values.put("node", Integer.toString(node));
		values.put("volumeName", deployment.volumeName(node));
		values.put("consulSentinelService", ServiceNames.sentinelOf(deployment.instanceId()));
		values.put("port", Integer.toString(spec.redisPort()));
		values.put("sentinelPort", Integer.toString(spec.sentinelPort()));
		values.put("requirePorts", Boolean.toString(spec.redisPort() != 0));
		values.put("masterName", ha.masterName());
		values.put("sentinels",
				ha.sentinelsBeside(node).stream().map(RedisEndpoint::toString).collect(Collectors.joining(" ")));
		values.put("quorum", Integer.toString(ha.quorum()));
		values.put("downAfterMs", Long.toString(ha.downAfter().toMillis()));
		values.put("failoverTimeoutMs", Long.toString(ha.failoverTimeout().toMillis()));
		values.put("replicationUser", ha.replicationUser());
		values.put("replicationPasswordSha256", ha.replicationPasswordSha256());
		values.put("sentinelUser", ha.sentinelUser());
		values.put("sentinelPasswordSha256", ha.sentinelPasswordSha256());
		return values;
	}

}
