package io.github.redisonmesos.broker.artefacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.marathon.MarathonSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator deploys with is checked here: the Marathon definitions are valid for
 * Marathon, the default template is the one the broker ships, the cf manifests point at
 * the built jars and carry no secret, and the security group stays narrow.
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
		assertThat(hclRules("marathon-consul-policy.hcl")).contains("service_prefix \"\" write");
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
	void appSecurityGroupOpensOnlyConsulAndTheAgentPortRangeOnNarrowSubnets() throws IOException {
		JsonNode rules = narrowRules("redis-on-mesos.json");
		assertThat(rules).extracting((rule) -> rule.path("ports").asText()).containsExactly("8500", "31000-32000");
	}

	@Test
	void brokerSecurityGroupAddsMarathonAndTheAgentsWhereRedisRuns() throws IOException {
		JsonNode rules = narrowRules("broker.json");
		assertThat(rules).extracting((rule) -> rule.path("ports").asText())
			.containsExactly("8500", "8080", "31000-32000");
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
	void consulPolicyOfAppsGrantsNoKeyAndOnlyTheRedisServices() throws IOException {
		List<String> rules = hclRules("apps-policy.hcl");
		// the Sentinels of an ha instance register as sntnl-<instance-id>
		assertThat(rules).containsExactlyInAnyOrder("service_prefix \"redis-\" read", "service_prefix \"sntnl-\" read",
				"node_prefix \"\" read");
		assertThat(rules).noneMatch((rule) -> rule.startsWith("key"));
	}

	@Test
	void consulPolicyOfTheBrokerWritesOnlyItsKvPrefix() throws IOException {
		List<String> rules = hclRules("broker-policy.hcl");
		assertThat(rules).containsExactlyInAnyOrder("key_prefix \"osb-redis/\" write", "service_prefix \"redis-\" read",
				"service_prefix \"sntnl-\" read", "node_prefix \"\" read", "agent_prefix \"\" read");
	}

	// the "<resource> "<name>" { policy = "<p>" }" blocks of a policy file, one line
	// each;
	// anything else in the file (another kind of rule) fails the check
	private static List<String> hclRules(String file) throws IOException {
		String hcl = Files.readAllLines(PROJECT.resolve("manifests/consul").resolve(file))
			.stream()
			.filter((line) -> !line.strip().startsWith("#"))
			.collect(Collectors.joining(" "));
		Matcher block = Pattern.compile("(\\w+) (\"[^\"]*\") \\{\\s*policy\\s*=\\s*\"(\\w+)\"\\s*}").matcher(hcl);
		List<String> rules = new ArrayList<>();
		while (block.find()) {
			rules.add(block.group(1) + " " + block.group(2) + " " + block.group(3));
		}
		assertThat(block.replaceAll("")).as("what %s holds besides simple rules", file).isBlank();
		return rules;
	}

}
