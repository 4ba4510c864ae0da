package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.VolumeNames;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisAppDefinitionsTests {

	private static final String ID = "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11";

	private static final String HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

	private final RedisAppDefinitions definitions = TestAppDefinitions.create();

	@Test
	void shippedTemplateRendersTheAppOfInterfacesMd() {
		JsonNode app = this.definitions.render(app(HASH));
		assertThat(app.path("id").asText()).isEqualTo("/osb-redis/" + ID);
		assertThat(app.path("instances").asInt()).isEqualTo(1);
		assertThat(app.path("cmd").asText()).endsWith("exec redis-server \"$@\" --appendonly yes "
				+ "--dir \"$data\" --aclfile \"$acl\" --maxmemory 64mb --maxmemory-policy \"$REDIS_MAXMEMORY_POLICY\" "
				+ "--notify-keyspace-events \"$REDIS_NOTIFY_KEYSPACE_EVENTS\" --appendfsync \"$REDIS_APPENDFSYNC\" "
				+ "--timeout \"$REDIS_TIMEOUT\"")
			.contains("acl=\"$data/users.acl\"", "user default off", "set -- --port \"$PORT0\"");
		// the admin password never reaches Marathon: only the SHA-256 Redis keeps
		assertThat(app.path("env").path("REDIS_ADMIN_USER").asText()).isEqualTo("osb-admin");
		assertThat(app.path("env").path("REDIS_ADMIN_PASSWORD_SHA256").asText()).isEqualTo(HASH);
		assertThat(app.path("env").size()).isEqualTo(7);
		assertThat(app.path("env").path("REDIS_TLS").asText()).isEqualTo("disabled");
		assertThat(app.path("env").path("REDIS_MAXMEMORY_POLICY").asText()).isEqualTo("noeviction");
		assertThat(app.path("env").path("REDIS_NOTIFY_KEYSPACE_EVENTS").asText()).isEmpty();
		assertThat(app.path("env").path("REDIS_APPENDFSYNC").asText()).isEqualTo("everysec");
		assertThat(app.path("env").path("REDIS_TIMEOUT").asText()).isEqualTo("0");
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
	void shippedHaNodeTemplateRendersEachNodeOnItsPortsVolumeAndPlaceAskingTheOtherSentinels() {
		JsonNode app = this.definitions.renderNode(haApp(), 1);
		assertThat(app.path("id").asText()).isEqualTo("/osb-redis/" + ID + "/node-1");
		assertThat(app.path("requirePorts").asBoolean()).isTrue();
		JsonNode ports = app.path("portDefinitions");
		assertThat(ports.get(0).path("port").asInt()).isEqualTo(33002);
		assertThat(ports.get(0).path("labels").path("consul").asText()).isEqualTo("redis-" + ID);
		assertThat(ports.get(1).path("port").asInt()).isEqualTo(33003);
		assertThat(ports.get(1).path("labels").path("consul").asText()).isEqualTo("sntnl-" + ID);
		// one check per port: marathon-consul puts every check on both registrations
		assertThat(app.path("healthChecks")).extracting((check) -> check.path("portIndex").asInt())
			.containsExactly(0, 1);
		assertThat(app.path("labels").path("osb_ha_node").asText()).isEqualTo("1");
		assertThat(app.path("constraints").get(0)).extracting(JsonNode::asText).containsExactly("zone", "CLUSTER", "b");
		assertThat(app.path("container").path("volumes").get(0).path("external").path("name").asText())
			.isEqualTo("osb-redis-" + ID + "-node-1");
		JsonNode env = app.path("env");
		assertThat(env.path("REDIS_SENTINELS").asText()).isEqualTo("10.0.0.1:33001 10.0.0.3:33005");
		assertThat(env.path("REDIS_MASTER_NAME").asText()).isEqualTo("osb-" + ID);
		assertThat(env.path("REDIS_DOWN_AFTER_MS").asText()).isEqualTo("5000");
		// internal users by hash only
		assertThat(env.path("REDIS_REPLICATION_PASSWORD_SHA256").asText()).isEqualTo(HASH);
		assertThat(env.path("REDIS_SENTINEL_PASSWORD_SHA256").asText()).isEqualTo(HASH);
		assertThat(MarathonSchema.violations(app)).isEmpty();
	}

	@Test
	void aNodeWithoutPlacementOrListedSentinelsRunsAnywhereAndBootstrapsAlone() {
		HaDeployment ha = haApp().requireHa();
		RedisDeployment first = RedisDeployment.builder(ID, "service-1", "plan-1")
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", HASH)
			.ha(new HaDeployment(ha.masterName(), 2, ha.downAfter(), ha.failoverTimeout(), "osb-replication", HASH,
					"osb-sentinel", HASH, List.of(new HaDeployment.NodeSpec(0, 0, List.of())), List.of()))
			.build();
		JsonNode app = this.definitions.renderNode(first, 0);
		assertThat(app.path("env").path("REDIS_SENTINELS").asText()).isEmpty();
		assertThat(app.path("requirePorts").asBoolean()).isFalse();
		assertThat(app.path("constraints")).isEmpty();
		assertThat(MarathonSchema.violations(app)).isEmpty();
	}

	@Test
	void aNodeKeepsOffTheOtherNodesAgentsBesideTheOperatorsZone() {
		RedisDeployment ha = haApp();
		List<HaDeployment.NodeSpec> nodes = List.of(ha.requireHa().nodes().get(0), new HaDeployment.NodeSpec(33002,
				33003, List.of("zone", "CLUSTER", "b"), Set.of("10.0.0.3", "agent-1.dc-1.example")),
				ha.requireHa().nodes().get(2));
		JsonNode app = this.definitions.renderNode(withNodes(ha, nodes), 1);
		assertThat(app.path("constraints")).hasSize(2);
		assertThat(app.path("constraints").get(0)).extracting(JsonNode::asText).containsExactly("zone", "CLUSTER", "b");
		assertThat(app.path("constraints").get(1)).extracting(JsonNode::asText)
			.containsExactly("hostname", "UNLIKE", "10\\.0\\.0\\.3|agent\\-1\\.dc\\-1\\.example");
		assertThat(MarathonSchema.violations(app)).isEmpty();
		// the regular expression matches exactly the hosts, as Marathon's UNLIKE does
		String unlike = app.path("constraints").get(1).get(2).asText();
		assertThat("10.0.0.3").matches(unlike);
		assertThat("agent-1.dc-1.example").matches(unlike);
		assertThat("10.0.0.33").doesNotMatch(unlike);
		assertThat("10x0.0.3").doesNotMatch(unlike);
		// and reads back as the hosts the node keeps off
		assertThat(RedisAppDefinitions.avoidedHosts(app)).containsExactlyInAnyOrder("10.0.0.3", "agent-1.dc-1.example");
		assertThat(RedisAppDefinitions.avoidedHosts(this.definitions.renderNode(ha, 1))).isEmpty();
	}

	@Test
	void theConstraintsOfTheOperatorsHaTemplateStayBeforeTheBrokers() {
		String shipped = TestAppDefinitions.shippedHaNodeTemplate();
		RedisAppDefinitions definitions = haTemplate(shipped.replace("\"portDefinitions\"",
				"\"constraints\": [[\"rack\", \"LIKE\", \"r[12]\"]],\n  \"portDefinitions\""));
		RedisDeployment ha = haApp();
		JsonNode app = definitions.renderNode(
				withNodes(ha, List.of(ha.requireHa().nodes().get(0),
						new HaDeployment.NodeSpec(0, 0, List.of(), Set.of("10.0.0.1")), ha.requireHa().nodes().get(2))),
				1);
		assertThat(app.path("constraints")).extracting((constraint) -> constraint.get(0).asText())
			.containsExactly("rack", "hostname");
	}

	@Test
	void anHaTemplateThatStillPlacesTheNodesItselfFailsAtStartSayingWhatToRemove() {
		String old = TestAppDefinitions.shippedHaNodeTemplate()
			.replace("\"portDefinitions\"", "\"constraints\": [[\"${placementField}\", \"${placementOperator}\", "
					+ "\"${placementValue}\"]],\n  \"portDefinitions\"");
		assertThatIllegalStateException().isThrownBy(() -> haTemplate(old))
			.withMessageContaining("${placementField}, ${placementOperator}, ${placementValue}")
			.withMessageContaining("the broker now sets each node's placement itself")
			.withMessageContaining("broker.marathon.ha-node-template");
	}

	private static RedisDeployment withNodes(RedisDeployment deployment, List<HaDeployment.NodeSpec> nodes) {
		HaDeployment ha = deployment.requireHa();
		return deployment.toBuilder()
			.ha(new HaDeployment(ha.masterName(), ha.quorum(), ha.downAfter(), ha.failoverTimeout(),
					ha.replicationUser(), ha.replicationPasswordSha256(), ha.sentinelUser(),
					ha.sentinelPasswordSha256(), nodes, ha.listed()))
			.build();
	}

	private static RedisAppDefinitions haTemplate(String json) {
		return new RedisAppDefinitions(new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ClassPathResource("marathon/redis-app-template.json"),
				new ByteArrayResource(json.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(1),
				Duration.ofSeconds(1), "", List.of()), new ObjectMapper());
	}

	@Test
	void theInstancesSettingsReachRedisThroughTheEnvOfTheAppAndOfEveryHaNode() {
		RedisSettings settings = new RedisSettings("allkeys-lru", "Egx$", "always", 300);
		RedisDeployment single = app(HASH);
		JsonNode app = this.definitions.render(single.toBuilder().settings(settings).build());
		RedisDeployment haWithSettings = haApp().toBuilder().settings(settings).build();
		List<JsonNode> apps = List.of(app, this.definitions.renderNode(haWithSettings, 0),
				this.definitions.renderNode(haWithSettings, 1), this.definitions.renderNode(haWithSettings, 2));
		assertThat(apps).allSatisfy((rendered) -> {
			assertThat(rendered.path("env").path("REDIS_MAXMEMORY_POLICY").asText()).isEqualTo("allkeys-lru");
			assertThat(rendered.path("env").path("REDIS_NOTIFY_KEYSPACE_EVENTS").asText()).isEqualTo("Egx$");
			assertThat(rendered.path("env").path("REDIS_APPENDFSYNC").asText()).isEqualTo("always");
			assertThat(rendered.path("env").path("REDIS_TIMEOUT").asText()).isEqualTo("300");
			// the values reach redis-server through the environment, never spliced into
			// the command
			assertThat(rendered.path("cmd").asText()).doesNotContain("allkeys-lru", "Egx$");
		});
	}

	@Test
	void operatorTemplateThatDropsTheSettingsFailsAtStartNamingThem() {
		String shipped = TestAppDefinitions.shippedTemplate();
		assertThatIllegalStateException()
			.isThrownBy(() -> template(shipped.replace(" --timeout \\\"$REDIS_TIMEOUT\\\"", "")
				.replace("\"REDIS_TIMEOUT\": \"${timeout}\"", "\"REDIS_TIMEOUT\": \"0\"")))
			.withMessageContaining("${timeout}")
			.withMessageContaining("broker.marathon.app-template");
	}

	@Test
	void renderedAppValidatesAgainstMarathonAppDefinitionSchema() {
		assertThat(MarathonSchema.violations(this.definitions.render(app(HASH)))).isEmpty();
	}

	@Test
	void schemaCheckRejectsAnAppMarathonWouldRefuse() {
		JsonNode bad = this.definitions.render(app(HASH));
		((com.fasterxml.jackson.databind.node.ObjectNode) bad).put("instancez", 1);
		assertThat(MarathonSchema.violations(bad)).isNotEmpty();
	}

	@Test
	void valuesAreJsonEscapedSoTheyCannotBreakTheDefinition() {
		JsonNode app = this.definitions.render(app("a\"b\\c\n}"));
		assertThat(app.path("env").path("REDIS_ADMIN_PASSWORD_SHA256").asText()).isEqualTo("a\"b\\c\n}");
	}

	@Test
	void operatorTemplateWithUnknownPlaceholderFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> template("{\"id\": \"${appId}\", \"cmd\": \"${nope}\"}"))
			.withMessageContaining("${nope}");
	}

	@Test
	void operatorTemplateStillUsingThePasswordPlaceholderFailsAtStartSayingWhatReplacedIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> template("{\"id\": \"${appId}\", \"env\": {\"P\": \"${password}\"}}"))
			.withMessageContaining("${password}")
			.withMessageContaining("${adminPasswordSha256}");
	}

	@Test
	void theOperatorsAcceptedRolesReachEveryAppOfBothTemplatesAndNoneWithoutThem() {
		assertThat(this.definitions.render(app(HASH)).has("acceptedResourceRoles")).isFalse();
		assertThat(this.definitions.renderNode(haApp(), 0).has("acceptedResourceRoles")).isFalse();
		RedisAppDefinitions reserved = new RedisAppDefinitions(new MarathonProperties(URI.create("http://127.0.0.1:1"),
				"osb-redis", new ClassPathResource("marathon/redis-app-template.json"),
				new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(1),
				Duration.ofSeconds(1), "", List.of("*", "marathon")), new ObjectMapper());
		assertThat(reserved.render(app(HASH)).path("acceptedResourceRoles")).extracting(JsonNode::asText)
			.containsExactly("*", "marathon");
		for (int node = 0; node < 3; node++) {
			assertThat(reserved.renderNode(haApp(), node).path("acceptedResourceRoles")).extracting(JsonNode::asText)
				.containsExactly("*", "marathon");
		}
	}

	@Test
	void templateThatIsNotJsonOnceRenderedFailsAtStart() {
		assertThatIllegalStateException().isThrownBy(() -> template("{\"id\": ${appId}}"))
			.withMessageContaining("broker.marathon.app-template");
	}

	private static RedisAppDefinitions template(String json) {
		return new RedisAppDefinitions(new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ByteArrayResource(json.getBytes(StandardCharsets.UTF_8)),
				new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(1),
				Duration.ofSeconds(1), "", List.of()), new ObjectMapper());
	}

	private static RedisDeployment haApp() {
		List<HaDeployment.NodeSpec> nodes = List.of(
				new HaDeployment.NodeSpec(33000, 33001, List.of("zone", "CLUSTER", "a")),
				new HaDeployment.NodeSpec(33002, 33003, List.of("zone", "CLUSTER", "b")),
				new HaDeployment.NodeSpec(33004, 33005, List.of("zone", "CLUSTER", "c")));
		List<HaNode> listed = List.of(
				new HaNode(0, new RedisEndpoint("10.0.0.1", 33000), new RedisEndpoint("10.0.0.1", 33001)),
				new HaNode(1, new RedisEndpoint("10.0.0.2", 33002), new RedisEndpoint("10.0.0.2", 33003)),
				new HaNode(2, new RedisEndpoint("10.0.0.3", 33004), new RedisEndpoint("10.0.0.3", 33005)));
		return app(HASH).toBuilder()
			.ha(new HaDeployment("osb-" + ID, 2, Duration.ofSeconds(5), Duration.ofSeconds(60), "osb-replication", HASH,
					"osb-sentinel", HASH, nodes, listed))
			.volumeNames(VolumeNames.perNode(ID, null, nodes.size()))
			.build();
	}

	private static RedisDeployment app(String adminPasswordSha256) {
		return RedisDeployment.builder(ID, "service-1", "plan-1")
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", adminPasswordSha256)
			.build();
	}

}
