package io.github.redisonmesos.broker.artefacts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.marathon.MarathonSchema;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator deploys with is checked here, by meaning: the Marathon definitions are
 * valid for Marathon and ask for ports an agent offers, the default template is the one
 * the broker ships, the Redis templates and preflight's probe accept the same resource
 * roles, the cf manifests point at the built jars and carry no secret, the security
 * groups stay narrow and open the ports of the vars example, and each Consul policy
 * grants what its holder does with the names the broker makes.
 */
class OperatorArtefactsTests {

	private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

	private static final ObjectMapper JSON = new ObjectMapper();

	@ParameterizedTest
	@ValueSource(strings = { "marathon-consul.json", "redis-seed.json" })
	void marathonDefinitionsValidateAgainstMarathonAppDefinitionSchema(String file) throws IOException {
		JsonNode app = JSON.readTree(PROJECT.resolve("manifests/marathon").resolve(file).toFile());
		assertThat(MarathonSchema.violations(app)).isEmpty();
	}

	@Test
	void redisSeedHasTheConsulLabelAndHealthCheckTheDemoLacked() throws IOException {
		JsonNode app = JSON.readTree(PROJECT.resolve("manifests/marathon/redis-seed.json").toFile());
		assertThat(app.path("labels").path("consul").asText()).isEqualTo("redis");
		assertThat(app.path("healthChecks")).isNotEmpty();
		assertThat(app.path("upgradeStrategy").path("maximumOverCapacity").asInt()).isZero();
	}

	@Test
	void brokerShipsTheOperatorsTemplate() throws IOException {
		byte[] operators = Files.readAllBytes(PROJECT.resolve("manifests/marathon/redis-app-template.json"));
		try (InputStream shipped = getClass().getResourceAsStream("/marathon/redis-app-template.json")) {
			assertThat(shipped).isNotNull();
			assertThat(shipped.readAllBytes()).isEqualTo(operators);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "broker", "sample-counter-app" })
	@SuppressWarnings("unchecked")
	void cfManifestPointsAtTheBuiltJarWithAHealthCheck(String app) throws IOException {
		Path manifest = PROJECT.resolve("manifests").resolve(app).resolve("manifest.yml");
		Map<String, Object> yaml = new Yaml().load(Files.readString(manifest));
		Map<String, Object> application = ((List<Map<String, Object>>) yaml.get("applications")).get(0);
		Path jar = manifest.getParent().resolve((String) application.get("path")).normalize();
		assertThat(jar).isEqualTo(PROJECT.resolve(app).resolve("target").resolve(app + ".jar"));
		assertThat(application.get("health-check-type")).isEqualTo("http");
		assertThat((String) application.get("memory")).matches("\\d+M");
	}

	@Test
	@SuppressWarnings("unchecked")
	void brokerManifestTakesEverySecretAsAPlaceholder() throws IOException {
		Map<String, Object> yaml = new Yaml().load(Files.readString(PROJECT.resolve("manifests/broker/manifest.yml")));
		Map<String, Object> env = (Map<String, Object>) ((List<Map<String, Object>>) yaml.get("applications")).get(0)
			.get("env");
		assertThat(env).containsKeys("BROKER_USERNAME", "BROKER_PASSWORD", "BROKER_SECRETS_KEY", "MARATHON_URL",
				"CONSUL_URL", "CONSUL_APP_URL");
		assertThat((String) env.get("BROKER_SECRETS_KEY")).matches("\\(\\([a-z-]+\\)\\)");
		assertThat((String) env.get("BROKER_PASSWORD")).matches("\\(\\([a-z-]+\\)\\)");
		assertThat((String) env.get("BROKER_USERNAME")).matches("\\(\\([a-z-]+\\)\\)");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theVarsFileExampleHoldsEveryVariableTheBrokerManifestUses() throws IOException {
		Matcher variable = Pattern.compile("^[^#\\n]*\\(\\(([a-z-]+)\\)\\)", Pattern.MULTILINE)
			.matcher(Files.readString(PROJECT.resolve("manifests/broker/manifest.yml")));
		List<String> used = new ArrayList<>();
		while (variable.find()) {
			used.add(variable.group(1));
		}
		Map<String, Object> vars = new Yaml()
			.load(Files.readString(PROJECT.resolve("manifests/broker/vars-example.yml")));
		assertThat(used).contains("broker-username", "consul-app-url", "marathon-username", "consul-token");
		assertThat(vars.keySet()).containsAll(used);
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis-app-template.json", "redis-ha-node-template.json" })
	void theRedisImageIsPinnedByDigest(String template) throws IOException {
		assertThat(Files.readString(PROJECT.resolve("manifests/marathon").resolve(template)))
			.containsPattern("\"image\": \"redis@sha256:[0-9a-f]{64}\"");
	}

	@Test
	void marathonConsulTakesItsConsulToken() throws IOException {
		JsonNode app = JSON.readTree(PROJECT.resolve("manifests/marathon/marathon-consul.json").toFile());
		assertThat(app.path("args")).anySatisfy((arg) -> assertThat(arg.asText()).startsWith("--consul-token="));
	}

	// a default Mesos agent offers ports(*):[31000-32000] only: a required port outside
	// it never gets an offer, and marathon-consul never starts
	@Test
	void marathonConsulAsksOnlyForPortsADefaultAgentOffers() throws IOException {
		JsonNode app = JSON.readTree(PROJECT.resolve("manifests/marathon/marathon-consul.json").toFile());
		List<Integer> ports = new ArrayList<>();
		app.path("portDefinitions").forEach((definition) -> ports.add(definition.path("port").asInt()));
		assertThat(ports).allSatisfy((port) -> assertThat(port).satisfiesAnyOf((p) -> assertThat(p).isZero(),
				(p) -> assertThat(p).isBetween(31000, 32000)));
		// its image has no shell to expand $PORT0: it listens on the fixed port it asks
		// for
		List<String> listen = new ArrayList<>();
		app.path("args").forEach((arg) -> {
			if (arg.asText().startsWith("--listen=")) {
				listen.add(arg.asText().substring(arg.asText().lastIndexOf(':') + 1));
			}
		});
		assertThat(listen).hasSize(1);
		assertThat(ports).containsExactly(Integer.parseInt(listen.get(0)));
		assertThat(app.path("requirePorts").asBoolean()).isTrue();
		assertThat(app.path("healthChecks").get(0).path("portIndex").asInt()).isZero();
	}

	@Test
	void marathonConsulsPolicyWritesEveryServiceTheBrokerNames() throws IOException {
		Policy marathonConsul = Policy.parse(PROJECT.resolve("manifests/consul/marathon-consul-policy.hcl"));
		for (String service : brokerServiceNames()) {
			assertThat(marathonConsul.allows("service", service, "write")).as("service:write on %s", service).isTrue();
		}
		assertThat(marathonConsul.allows("node", "mesos-agent-7", "read")).isTrue();
		assertThat(marathonConsul.allows("agent", "mesos-agent-7", "read")).isTrue();
		assertThat(marathonConsul.allows("key", brokerKvPrefix() + "/instances/x", "read")).isFalse();
	}

	@Test
	@SuppressWarnings("unchecked")
	void counterManifestBindsTheServiceAndFitsTheJvmIn256Mb() throws IOException {
		Map<String, Object> application = ((List<Map<String, Object>>) new Yaml()
			.<Map<String, Object>>load(Files.readString(PROJECT.resolve("manifests/sample-counter-app/manifest.yml")))
			.get("applications")).get(0);
		assertThat(application.get("memory")).isEqualTo("256M");
		assertThat((List<String>) application.get("services")).containsExactly("counter-redis");
		assertThat(application.get("health-check-http-endpoint")).isEqualTo("/actuator/health/liveness");
		String javaOpts = (String) ((Map<String, Object>) application.get("env")).get("JAVA_OPTS");
		// every JVM area with a cap, and the caps leave room in 256 MB for thread stacks
		// and the JVM itself
		int capped = 0;
		for (String cap : List.of("-Xmx", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=",
				"-XX:MaxDirectMemorySize=")) {
			Matcher size = Pattern.compile(Pattern.quote(cap) + "(\\d+)M").matcher(javaOpts);
			assertThat(size.find()).as("%s in %s", cap, javaOpts).isTrue();
			capped += Integer.parseInt(size.group(1));
		}
		assertThat(capped).isLessThanOrEqualTo(200);
	}

	@Test
	void dnsmasqSnippetForwardsOnlyTheConsulDomainToConsulDns() throws IOException {
		List<String> directives = Files.readAllLines(PROJECT.resolve("scripts/dnsmasq-consul.conf"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(directives).contains("server=/consul/127.0.0.1#8600");
		assertThat(directives).allMatch((line) -> line.matches("[a-z-]+=\\S+"), "key=value directives");
		assertThat(directives).noneMatch((line) -> line.startsWith("server=") && !line.startsWith("server=/consul/"));
	}

	@Test
	void appSecurityGroupOpensOnlyConsulAndTheRedisPortRangeOfTheVarsExample() throws IOException {
		JsonNode rules = narrowRules("redis-on-mesos.json");
		Map<String, Object> vars = varsExample();
		assertThat(rules).extracting((rule) -> rule.path("ports").asText())
			.containsExactly(port((String) vars.get("consul-app-url")),
					(String) vars.get("broker-marathon-redis-ports"));
	}

	@Test
	void brokerSecurityGroupOpensThePortsOfTheVarsExampleAndLibStorage() throws IOException {
		JsonNode rules = narrowRules("broker.json");
		Map<String, Object> vars = varsExample();
		assertThat(rules).extracting((rule) -> rule.path("ports").asText())
			.containsExactly(port((String) vars.get("consul-url")), port((String) vars.get("marathon-url")),
					(String) vars.get("broker-marathon-redis-ports"), "7979");
	}

	@Test
	void securityGroupScriptsCommentNamesTheShippedPorts() throws IOException {
		String script = Files.readString(PROJECT.resolve("security-groups/apply.sh"));
		Map<String, Object> vars = varsExample();
		assertThat(script).contains((String) vars.get("broker-marathon-redis-ports"),
				port((String) vars.get("consul-url")), port((String) vars.get("marathon-url")), "7979");
	}

	private static Map<String, Object> varsExample() throws IOException {
		return new Yaml().load(Files.readString(PROJECT.resolve("manifests/broker/vars-example.yml")));
	}

	private static String port(String url) {
		return Integer.toString(URI.create(url).getPort());
	}

	private static JsonNode narrowRules(String file) throws IOException {
		JsonNode rules = JSON.readTree(PROJECT.resolve("security-groups").resolve(file).toFile());
		for (JsonNode rule : rules) {
			assertThat(rule.path("protocol").asText()).isEqualTo("tcp");
			String destination = rule.path("destination").asText();
			int prefix = Integer.parseInt(destination.substring(destination.indexOf('/') + 1));
			assertThat(prefix).as("prefix length of %s", destination).isGreaterThanOrEqualTo(16);
			assertThat(rule.path("ports").asText()).matches("\\d+(-\\d+)?");
			assertThat(rule.path("description").asText()).isNotBlank();
		}
		return rules;
	}

	@Test
	void theBrokersPolicyReadsEveryServiceTheBrokerRegistersOrReads() throws IOException {
		Policy broker = Policy.parse(PROJECT.resolve("manifests/consul/broker-policy.hcl"));
		for (String service : brokerServiceNames()) {
			assertThat(broker.allows("service", service, "read")).as("service:read on %s", service).isTrue();
		}
		// Consul's health endpoint filters by node too, and the broker asks its agent for
		// the datacenter
		assertThat(broker.allows("node", "mesos-agent-7", "read")).isTrue();
		assertThat(broker.allows("agent", "consul-client-1", "read")).isTrue();
		assertThat(broker.allows("service", ServiceNames.of(INSTANCE), "write")).isFalse();
	}

	@Test
	void theBrokersPolicyWritesItsKvPrefixAndNothingElse() throws IOException {
		Policy broker = Policy.parse(PROJECT.resolve("manifests/consul/broker-policy.hcl"));
		String prefix = brokerKvPrefix();
		for (String key : List.of(prefix + "/instances/" + INSTANCE, prefix + "/bindings/" + INSTANCE + "/b",
				prefix + "/ports/33000")) {
			assertThat(broker.allows("key", key, "write")).as("key:write on %s", key).isTrue();
		}
		assertThat(broker.allows("key", "other-app/config", "read")).isFalse();
	}

	@Test
	void theAppsPolicyReadsEveryServiceAnAppLooksUpAndNoKey() throws IOException {
		Policy apps = Policy.parse(PROJECT.resolve("manifests/consul/apps-policy.hcl"));
		for (String service : brokerServiceNames()) {
			assertThat(apps.allows("service", service, "read")).as("service:read on %s", service).isTrue();
			assertThat(apps.allows("service", service, "write")).isFalse();
		}
		assertThat(apps.allows("node", "mesos-agent-7", "read")).isTrue();
		String prefix = brokerKvPrefix();
		assertThat(apps.allows("key", prefix + "/instances/" + INSTANCE, "read")).isFalse();
		assertThat(apps.allows("key", prefix + "/bindings/" + INSTANCE + "/b", "read")).isFalse();
		assertThat(apps.rules()).noneMatch((rule) -> rule.resource().startsWith("key"));
	}

	@Test
	void thePolicyReaderFollowsConsulsPrecedence() {
		Policy policy = Policy.parse("""
				service_prefix "" { policy = "read" }
				service_prefix "redis-" { policy = "deny" }
				service "redis-keep" {
				  policy = "write"
				}
				key_prefix "a/" { policy = "write" }
				key_prefix "a/b/" { policy = "read" }
				""");
		assertThat(policy.allows("service", "web", "read")).isTrue();
		assertThat(policy.allows("service", "redis-x", "read")).isFalse();
		assertThat(policy.allows("service", "redis-keep", "write")).isTrue();
		assertThat(policy.allows("key", "a/x", "read")).isTrue();
		assertThat(policy.allows("key", "a/b/x", "write")).isFalse();
		assertThat(policy.allows("node", "n", "read")).isFalse();
	}

	// both Redis templates run on the same agents: the same acceptedResourceRoles, and
	// preflight's probe takes what it reads from them
	@Test
	void theRedisTemplatesAndThePreflightProbeAgreeOnAcceptedResourceRoles() throws IOException, InterruptedException {
		JsonNode app = template("redis-app-template.json");
		JsonNode node = template("redis-ha-node-template.json");
		assertThat(node.path("acceptedResourceRoles")).isEqualTo(app.path("acceptedResourceRoles"));
		String expected = app.has("acceptedResourceRoles") ? JSON.writeValueAsString(app.get("acceptedResourceRoles"))
				: "none";
		for (String file : List.of("redis-app-template.json", "redis-ha-node-template.json")) {
			assertThat(preflightRoles(PROJECT.resolve("manifests/marathon").resolve(file))).isEqualTo(expected);
		}
		// a template with a role: preflight reads the same roles the broker would send
		Path withRole = Files.createTempFile("template", ".json");
		try {
			Files.writeString(withRole,
					Files.readString(PROJECT.resolve("manifests/marathon/redis-app-template.json"))
						.replaceFirst("\"instances\": 1,",
								"\"instances\": 1, \"acceptedResourceRoles\": [\"*\", \"marathon\"],"));
			assertThat(preflightRoles(withRole)).isEqualTo("[\"*\",\"marathon\"]");
		}
		finally {
			Files.delete(withRole);
		}
		String preflight = Files.readString(PROJECT.resolve("scripts/preflight"));
		assertThat(preflight).contains("acceptedResourceRoles: $roles");
	}

	// the template as the broker sends it, with every placeholder filled
	private static JsonNode template(String file) throws IOException {
		return JSON.readTree(Files.readString(PROJECT.resolve("manifests/marathon").resolve(file))
			.replaceAll("\\$\\{[A-Za-z]+}", "0"));
	}

	// what scripts/preflight's template_roles makes of a template (it needs bash and jq)
	private static String preflightRoles(Path template) throws IOException, InterruptedException {
		Assumptions.assumeTrue(onPath("bash") && onPath("jq"), "bash and jq run preflight");
		String script = "source <(sed -n '/^template_roles() {/,/^}/p' scripts/preflight); template_roles \"$1\"";
		Process process = new ProcessBuilder("bash", "-c", script, "roles", template.toString())
			.directory(PROJECT.toFile())
			.redirectErrorStream(true)
			.start();
		String out = new String(process.getInputStream().readAllBytes()).strip();
		assertThat(process.waitFor()).isZero();
		return out;
	}

	private static boolean onPath(String command) {
		return Stream.of(System.getenv("PATH").split(":")).anyMatch((dir) -> Files.isExecutable(Path.of(dir, command)));
	}

	private static final String INSTANCE = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";

	// every service name the broker labels apps with (marathon-consul registers them) and
	// looks up in Consul, as the broker makes them
	private static List<String> brokerServiceNames() {
		return List.of(ServiceNames.of(INSTANCE), ServiceNames.sentinelOf(INSTANCE));
	}

	@SuppressWarnings("unchecked")
	private static String brokerKvPrefix() throws IOException {
		Map<String, Object> yaml = new Yaml()
			.load(Files.readString(PROJECT.resolve("broker/src/main/resources/application.yml")));
		Map<String, Object> consul = (Map<String, Object>) ((Map<String, Object>) yaml.get("broker")).get("consul");
		return (String) consul.get("kv-prefix");
	}

	/**
	 * A Consul ACL policy in the rule language the shipped files use: {@code <resource>
	 * "<name>" { policy = "<read|write|deny>" }}, comments with {@code #}. Consul's
	 * precedence: an exact rule beats prefix rules, the longest prefix wins, write
	 * includes read, and what no rule grants is denied ({@code default_policy = "deny"}).
	 */
	record Policy(List<Rule> rules) {

		private static final Pattern BLOCK = Pattern
			.compile("(\\w+)\\s+\"([^\"]*)\"\\s*\\{\\s*policy\\s*=\\s*\"(read|write|deny)\"\\s*}");

		static Policy parse(Path file) throws IOException {
			return parse(Files.readString(file));
		}

		static Policy parse(String hcl) {
			String rules = hcl.lines()
				.map((line) -> line.replaceFirst("^\\s*#.*", ""))
				.collect(Collectors.joining("\n"));
			Matcher block = BLOCK.matcher(rules);
			List<Rule> parsed = new ArrayList<>();
			while (block.find()) {
				parsed.add(new Rule(block.group(1), block.group(2), block.group(3)));
			}
			assertThat(block.replaceAll("")).as("what the policy holds besides rules it reads").isBlank();
			return new Policy(List.copyOf(parsed));
		}

		boolean allows(String kind, String name, String access) {
			String granted = this.rules.stream()
				.filter((rule) -> rule.resource().equals(kind) && rule.name().equals(name))
				.map(Rule::policy)
				.findFirst()
				.orElseGet(() -> this.rules.stream()
					.filter((rule) -> rule.resource().equals(kind + "_prefix") && name.startsWith(rule.name()))
					.max(Comparator.comparingInt((Rule rule) -> rule.name().length()))
					.map(Rule::policy)
					.orElse("deny"));
			return switch (granted) {
				case "write" -> true;
				case "read" -> access.equals("read");
				default -> false;
			};
		}

	}

	record Rule(String resource, String name, String policy) {
	}

}
