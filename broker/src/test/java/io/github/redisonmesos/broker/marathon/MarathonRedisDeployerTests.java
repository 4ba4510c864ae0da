package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.redisonmesos.broker.component.Responses;
import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Marathon adapter alone against Marathon's recorded answers: the definition it
 * sends, status mapping (a refusal is not a retry), the deployment lock, encoding of ids.
 */
class MarathonRedisDeployerTests {

	private static final String ID = "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11";

	private static final String APP = "/v2/apps/osb-redis/" + ID;

	private static final String GROUP_APPS = "/v2/apps?id=/osb-redis/";

	private static final String HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

	private final WireMockServer marathon = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private final ObjectMapper objectMapper = new ObjectMapper();

	private MarathonRedisDeployer deployer;

	@BeforeEach
	void start() {
		this.marathon.start();
		this.deployer = deployer(MarathonCredentials.NONE);
	}

	private MarathonRedisDeployer deployer(MarathonCredentials credentials) {
		return new MarathonRedisDeployer(
				new MarathonProperties(URI.create(this.marathon.baseUrl()), "osb-redis",
						new ClassPathResource("marathon/redis-app-template.json"),
						new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(1),
						Duration.ofMillis(400), "", List.of()),
				credentials, TlsProperties.NONE, null, RestClient.builder(), Clock.systemUTC(),
				new SimpleMeterRegistry(), this.objectMapper);
	}

	@Test
	void nodePlacementsReadEachNodesAgentsNewestTaskAndTheHostsItsConstraintKeepsOff() throws Exception {
		// Marathon's app with its tasks, the constraint as the broker renders it
		ObjectNode body = (ObjectNode) this.objectMapper
			.readTree(Responses.body("marathon/v0.10.1.get_v2_apps_id.response-200.embed-tasks.json"));
		((ObjectNode) body.path("app")).putArray("constraints")
			.add(this.objectMapper.createArrayNode().add("zone").add("CLUSTER").add("a"))
			.add(this.objectMapper.createArrayNode()
				.add("hostname")
				.add("UNLIKE")
				.add(RedisAppDefinitions.unlike(java.util.Set.of("10.0.0.2", "agent-3"))));
		this.marathon.stubFor(get(urlEqualTo(APP + "/node-0")).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString())));
		this.marathon.stubFor(get(urlEqualTo(APP + "/node-1"))
			.willReturn(Responses.json(200, "marathon/derived/get_v2_apps_id.response-200.deploying.json")));
		this.marathon.stubFor(get(urlEqualTo(APP + "/node-2"))
			.willReturn(Responses.json(404, "marathon/error.404.app-not-found.json")));
		List<java.util.Optional<NodePlacement>> placements = this.deployer.nodePlacements(ID, 3);
		assertThat(placements.get(0)).hasValueSatisfying((placement) -> {
			assertThat(placement.hosts()).containsExactly("10.141.141.10");
			assertThat(placement.since()).isEqualTo(Instant.parse("2014-09-12T23:28:28.594Z"));
			assertThat(placement.avoidedHosts()).containsExactlyInAnyOrder("10.0.0.2", "agent-3");
			assertThat(placement.deploying()).isFalse();
		});
		// deploying, no task yet: waiting for an agent
		assertThat(placements.get(1)).hasValueSatisfying((placement) -> {
			assertThat(placement.placed()).isFalse();
			assertThat(placement.deploying()).isTrue();
		});
		assertThat(placements.get(2)).isEmpty();
	}

	@Test
	void basicCredentialsGoWithEveryCall() {
		this.marathon.stubFor(put(urlEqualTo(APP)).willReturn(Responses.json(200, "marathon/deployments_result.json")));
		this.marathon.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withStatus(200).withBody("pong")));
		MarathonRedisDeployer deployer = deployer(new MarathonCredentials("broker", "s3cret-marathon", ""));
		deployer.redeploy(deployment("plan-2"));
		deployer.ping();
		String basic = "Basic " + Base64.getEncoder().encodeToString("broker:s3cret-marathon".getBytes());
		this.marathon.verify(1, putRequestedFor(urlEqualTo(APP)).withHeader("Authorization", equalTo(basic)));
		this.marathon.verify(1, getRequestedFor(urlEqualTo("/ping")).withHeader("Authorization", equalTo(basic)));
	}

	@Test
	void aRedeploySaysTheAppHasNoFetchSoThatMarathonDropsARestoresPresignedUrl() throws Exception {
		// Marathon's PUT keeps a field the body leaves out: without "fetch": [] the
		// pre-signed URL of a restore would stay in the app (and fail its later starts)
		this.marathon.stubFor(put(urlEqualTo(APP)).willReturn(Responses.json(200, "marathon/deployments_result.json")));
		MarathonRedisDeployer deployer = deployer(new MarathonCredentials("", "", ""));
		deployer.redeploy(RedisDeployment.builder(ID, "service-1", "plan-1")
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", HASH)
			.seed(new RestoreSeed("20261207T012233Z-a1b2c3", "http://store/backups/x.rdb?X-Amz-Signature=1",
					"0".repeat(64)))
			.build());
		deployer.redeploy(deployment("plan-1"));
		List<JsonNode> sent = new ArrayList<>();
		for (var request : this.marathon.findAll(putRequestedFor(urlEqualTo(APP)))) {
			sent.add(new ObjectMapper().readTree(request.getBodyAsString()));
		}
		assertThat(sent).hasSize(2);
		assertThat(sent.get(0).path("fetch")).hasSize(1);
		assertThat(sent.get(1).path("fetch").isArray()).isTrue();
		assertThat(sent.get(1).path("fetch")).isEmpty();
		assertThat(MarathonSchema.violations(sent.get(1))).isEmpty();
	}

	@Test
	void aDcosTokenGoesAsAuthorizationToken() {
		this.marathon.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withStatus(200).withBody("pong")));
		deployer(new MarathonCredentials("", "", "eyJ-dcos-token")).ping();
		this.marathon.verify(1,
				getRequestedFor(urlEqualTo("/ping")).withHeader("Authorization", equalTo("token=eyJ-dcos-token")));
	}

	@Test
	void withoutCredentialsNoAuthorizationHeaderGoesOut() {
		this.marathon.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withStatus(200).withBody("pong")));
		this.deployer.ping();
		this.marathon.verify(1, getRequestedFor(urlEqualTo("/ping")).withoutHeader("Authorization"));
	}

	@Test
	void aRefusedLoginNamesTheVariablesNeverThePassword() {
		// Marathon 1.10's answer to wrong basic credentials
		// (fixtures/marathon/extracted/v1.10-master/error.401.unauthorized.json)
		this.marathon.stubFor(post(urlEqualTo("/v2/apps")).willReturn(aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json")
			.withBody("{ \"message\": \"Invalid username or password.\" }")));
		MarathonRedisDeployer deployer = deployer(new MarathonCredentials("broker", "wrong-s3cret", ""));
		assertThatExceptionOfType(ServiceBrokerException.class).isThrownBy(() -> deployer.deploy(deployment("p")))
			.isNotInstanceOf(ServiceBrokerUnavailableException.class)
			.withMessageContaining("answered 401")
			.withMessageContaining("MARATHON_USERNAME and MARATHON_PASSWORD")
			.withMessageContaining("MARATHON_TOKEN")
			.withMessageNotContaining("wrong-s3cret");
	}

	@Test
	void aTokenBesideBasicCredentialsIsRefusedNamingThem() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new MarathonCredentials("broker", "pw", "token"))
			.withMessageContaining("MARATHON_TOKEN and MARATHON_USERNAME/MARATHON_PASSWORD are both set");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new MarathonCredentials("broker", "", ""))
			.withMessageContaining("Only one of MARATHON_USERNAME and MARATHON_PASSWORD is set");
		assertThat(new MarathonCredentials("broker", "s3cret", "").toString()).doesNotContain("s3cret");
	}

	@AfterEach
	void stop() {
		this.marathon.stop();
	}

	@Test
	void deployPostsTheRenderedTemplateWhichMarathonsSchemaAcceptsAndWhichHoldsNoPassword() throws Exception {
		this.marathon.stubFor(post(urlEqualTo("/v2/apps"))
			.willReturn(Responses.json(201, "marathon/v0.10.1.post_v2_apps.response-201.json")));
		assertThat(this.deployer.deploy(deployment("plan-1"))).isTrue();
		JsonNode sent = this.objectMapper
			.readTree(this.marathon.findAll(postRequestedFor(urlEqualTo("/v2/apps"))).get(0).getBodyAsString());
		assertThat(sent.path("id").asText()).isEqualTo("/osb-redis/" + ID);
		assertThat(sent.path("labels").path("osb_plan_id").asText()).isEqualTo("plan-1");
		assertThat(sent.path("env").path("REDIS_ADMIN_PASSWORD_SHA256").asText()).isEqualTo(HASH);
		assertThat(MarathonSchema.violations(sent)).isEmpty();
	}

	@Test
	void deployOfAnAppThatExistsLeavesIt() {
		this.marathon.stubFor(post(urlEqualTo("/v2/apps"))
			.willReturn(Responses.json(409, "marathon/error.409.app-already-exists.json")));
		assertThat(this.deployer.deploy(deployment("plan-1"))).isFalse();
		this.marathon.verify(1, postRequestedFor(urlEqualTo("/v2/apps")));
	}

	@Test
	void deployOfAnAppMarathonListsSendsNothing() {
		// a provision's polls ask for the app again and again: one that is there is not
		// rendered again (a TLS app's render issues a new delivery token, which would
		// leave the running task's token spent)
		this.marathon.stubFor(get(urlPathMatching("/v2/apps/osb-redis/.*"))
			.willReturn(Responses.json(200, "marathon/v0.10.1.get_v2_apps_id.response-200.embed-tasks.json")));
		assertThat(this.deployer.deploy(deployment("plan-1"))).isFalse();
		this.marathon.verify(0, postRequestedFor(urlEqualTo("/v2/apps")));
	}

	@Test
	void deployWhileTheAppIsLockedOnceWaitsAndSendsItAgain() {
		this.marathon.stubFor(post(urlEqualTo("/v2/apps")).inScenario("locked once")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(Responses.json(409, "marathon/error.409.app-locked-by-deployment.json"))
			.willSetStateTo("free"));
		this.marathon.stubFor(post(urlEqualTo("/v2/apps")).inScenario("locked once")
			.whenScenarioStateIs("free")
			.willReturn(Responses.json(201, "marathon/v0.10.1.post_v2_apps.response-201.json")));
		this.deployer.deploy(deployment("plan-1"));
		this.marathon.verify(2, postRequestedFor(urlEqualTo("/v2/apps")));
	}

	@Test
	void anAppThatStaysLockedIsAConcurrencyErrorSayingToRetry() {
		this.marathon.stubFor(put(urlEqualTo(APP))
			.willReturn(Responses.json(409, "marathon/error.409.app-locked-by-deployment.json")));
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class)
			.isThrownBy(() -> this.deployer.redeploy(deployment("plan-2")))
			.withMessageContaining("retry once the deployment has finished");
	}

	@Test
	void aDefinitionMarathonRefusesIsABrokerErrorNamingTheTemplateNotA503() {
		this.marathon.stubFor(post(urlEqualTo("/v2/apps"))
			.willReturn(Responses.json(422, "marathon/error.422.object-not-valid.json")));
		assertThatExceptionOfType(ServiceBrokerException.class).isThrownBy(() -> this.deployer.deploy(deployment("p")))
			.isNotInstanceOf(ServiceBrokerUnavailableException.class)
			.withMessageContaining("refused the app definition")
			.withMessageContaining("broker.marathon.app-template")
			.withMessageContaining("retrying will not help");
	}

	@Test
	void redeployPutsTheDefinitionToTheAppsPath() {
		this.marathon.stubFor(put(urlEqualTo(APP)).willReturn(Responses.json(200, "marathon/deployments_result.json")));
		this.deployer.redeploy(deployment("plan-2"));
		this.marathon.verify(1, putRequestedFor(urlEqualTo(APP)));
	}

	@Test
	void undeployForcesTheRemovalAndAnAppAlreadyGoneIsFine() {
		this.marathon.stubFor(delete(urlEqualTo(APP + "?force=true"))
			.willReturn(Responses.json(404, "marathon/error.404.app-not-found.json")));
		this.deployer.undeploy(ID);
		this.marathon.verify(1, deleteRequestedFor(urlEqualTo(APP + "?force=true")));
	}

	@Test
	void statusReadsThePlanLabelDeploymentsHealthAndTheLastFailure() throws Exception {
		ObjectNode deploying = (ObjectNode) this.objectMapper
			.readTree(Responses.body("marathon/derived/get_v2_apps_id.response-200.deploying.json"));
		((ObjectNode) deploying.path("app")).putObject("labels").put("osb_plan_id", "plan-1");
		this.marathon.stubFor(get(urlEqualTo(APP)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(deploying.toString())));
		DeploymentStatus status = this.deployer.status(ID).orElseThrow();
		assertThat(status.planId()).isEqualTo("plan-1");
		assertThat(status.deploying()).isTrue();
		assertThat(status.tasksHealthy()).isZero();
		this.marathon.stubFor(get(urlEqualTo(APP))
			.willReturn(Responses.json(200, "marathon/derived/get_v2_apps_id.response-200.task-failed.json")));
		DeploymentStatus failed = this.deployer.status(ID).orElseThrow();
		assertThat(failed.lastTaskFailure().message()).isNotEmpty();
		assertThat(failed.lastTaskFailure().timestamp()).isAfter(Instant.parse("2099-01-01T00:00:00Z"));
		this.marathon.stubFor(get(urlEqualTo(APP))
			.willReturn(Responses.json(200, "marathon/v0.10.1.get_v2_apps_id.response-200.embed-tasks.json")));
		assertThat(this.deployer.status(ID).orElseThrow().tasksHealthy()).isPositive();
	}

	@Test
	void statusOfAnAppMarathonDoesNotKnowIsEmpty() {
		this.marathon
			.stubFor(get(urlEqualTo(APP)).willReturn(Responses.json(404, "marathon/error.404.app-not-found.json")));
		assertThat(this.deployer.status(ID)).isEmpty();
	}

	@Test
	void everyIdIsOneEncodedSegment() {
		this.marathon.stubFor(get(anyUrl()).willReturn(Responses.json(404, "marathon/error.404.app-not-found.json")));
		this.deployer.status("a/b?c#d");
		this.deployer.status("..");
		assertThat(this.marathon.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
			.containsExactlyInAnyOrder("/v2/apps/osb-redis/a%2Fb%3Fc%23d", "/v2/apps/osb-redis/%2E%2E");
	}

	@Test
	void deployedInstancesAreTheAppsDirectlyInTheGroup() {
		// Marathon's id filter answers the apps whose id is or contains the value: an app
		// of another group may hold it further in
		this.marathon.stubFor(get(urlEqualTo(GROUP_APPS)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"apps\":[{\"id\":\"/osb-redis/a\"},{\"id\":\"/osb-redis/b\"},{\"id\":\"/other/osb-redis/c\"},"
					+ "{\"id\":\"/osb-redis/sub/d\"},{\"id\":\"/osb-redis/a/node-0\"}]}")));
		assertThat(this.deployer.deployedInstances()).containsExactly("a", "b");
		this.marathon.stubFor(get(urlEqualTo(GROUP_APPS)).willReturn(Responses.json(200, "marathon/app_list.json")));
		assertThat(this.deployer.deployedInstances()).isEmpty();
		// only the group's apps asked for, not the whole cluster's
		assertThat(this.marathon.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
			.containsOnly(GROUP_APPS);
	}

	@Test
	void anUnreachableOrFailingMarathonIsA503NamingIt() {
		this.marathon.stubFor(get(urlEqualTo(APP)).willReturn(aResponse().withStatus(503)));
		assertThatExceptionOfType(ServiceBrokerUnavailableException.class).isThrownBy(() -> this.deployer.status(ID))
			.withMessageContaining("Marathon at " + this.marathon.baseUrl() + " answered 503");
		this.marathon.stubFor(get(urlEqualTo(APP)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		assertThatExceptionOfType(ServiceBrokerUnavailableException.class).isThrownBy(() -> this.deployer.status(ID))
			.withMessageContaining("MARATHON_URL");
	}

	private static RedisDeployment deployment(String planId) {
		return RedisDeployment.builder(ID, "service-1", planId)
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", HASH)
			.build();
	}

}
