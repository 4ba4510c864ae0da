package io.github.redisonmesos.localplatform;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.localplatform.marathon.AppSchema;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static io.github.redisonmesos.localplatform.JsonShapes.assertSameShape;
import static io.github.redisonmesos.localplatform.RunningPlatform.fixture;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One contract, two implementations: every body in {@code contract-fixtures} (what the
 * broker's and the counter app's WireMock stubs answer) is the answer the local platform
 * gives to the same request, compared by status, the headers that matter and the JSON
 * shape (or the whole body, for errors), and apps by Marathon's schema. The last two
 * checks fail, naming them, while a fixture or a route of the local platform has no
 * parity row: adding a fixture means adding a row to {@link #parityChecks()}.
 */
@EndToEnd
class ContractParityTests {

	// Pre-1.5 fields Marathon no longer generates (fixtures NOTES.md, item 1), and a
	// health check's "command" that Marathon only reports for COMMAND checks.
	private static final List<String> LEGACY_APP_FIELDS = List.of("args", "container", "executor", "ports", "storeUrls",
			"uris", "user", "healthChecks.command");

	// Agent-specific fields of Marathon 1.10's task JSON that one local agent has no
	// value for.
	private static final String[] TASK_PLACEMENT = { "tasks.region", "tasks.zone" };

	private static final String HEALTHY = "/parity/healthy";

	private static final String LOREM_IPSUM = "/lorem/ipsum";

	private static final String MANAGEMENT = "parity-management-token";

	// the AccessorID of the 403 fixture, and the secret of that read-only token
	private static final String READ_ONLY_ACCESSOR = "2d8e6a1b-3c4f-4e5a-9b7c-8d9e0f1a2b3c";

	private static final String READ_ONLY = "parity-read-only-token";

	private static final String RECORD = "/v1/kv/osb-redis/instances/5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	private static final String QUEUED = "/parity/queued";

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	// Consul with ACLs on deny: the rows marked withAcls() run here
	@RegisterExtension
	static final PlatformExtension aclPlatform = PlatformExtension.perClass("--local-platform.consul-acl=deny",
			"--local-platform.consul-management-token=" + MANAGEMENT);

	private final Set<Method> routesRequested = ConcurrentHashMap.newKeySet();

	static List<Parity> parityChecks() {
		return List.of(
				// Marathon: apps
				parity("marathon/v0.10.1.post_v2_apps.response-201.json", "POST /v2/apps answers the app")
					.request((p) -> p.marathon("POST", "/v2/apps",
							"{\"id\": \"/parity/created\", \"cmd\": \"exec sleep 300\", \"instances\": 0}"))
					.expect(201)
					.sameShape(legacy(""))
					.header("Location", "/v2/apps/parity/created")
					.deploymentHeader("/deployments/0/id")
					.appMatchesSchema(""),
				parity("marathon/schema/AppDefinition.json", "the broker's Redis app is valid and echoed valid")
					.request((p) -> p.marathon("POST", "/v2/apps", redisApp("/parity/redis-app", 0).toString()))
					.expect(201)
					.appMatchesSchema(""),
				parity("marathon/schema/AppDefinition.json",
						"an app with required ports and constraints is valid and echoed as sent")
					.request((p) -> p.marathon("POST", "/v2/apps",
							requiredPortsApp("/parity/required-ports").toString()))
					.expect(201)
					.appMatchesSchema("")
					.that((response) -> {
						JsonNode app = json(response);
						assertThat(app.get("requirePorts").asBoolean()).isTrue();
						assertThat(app.at("/portDefinitions/0/port").asInt()).isEqualTo(31000);
						assertThat(app.get("constraints"))
							.isEqualTo(requiredPortsApp("/parity/required-ports").get("constraints"));
					}),
				acceptedRequest("marathon/v0.10.1.post_v2_apps.request.json"),
				acceptedRequest("marathon/post_v2_apps.request.docker-bridge-portMappings-healthChecks.json"),
				acceptedRequest("marathon/post_v2_apps.request.external-volume-dvdi-rexray-docker.json"),
				acceptedRequest("marathon/post_v2_apps.request.external-volume-dvdi-rexray-mesos.json"),
				parity("marathon/app_list.json", "GET /v2/apps lists apps").given(ContractParityTests::healthyApp)
					.request((p) -> p.marathon("GET", "/v2/apps", null))
					.expect(200)
					.sameShape(concat(legacy("apps."), "apps.env.*"))
					.appMatchesSchema("/apps/0"),
				// raml/v2/apps.raml: "Filter the result to only return apps whose id
				// is or contains the given value" (the broker lists its group's apps so)
				parity("marathon/app_list.json", "GET /v2/apps?id= lists the apps whose id is or contains the value")
					.given(ContractParityTests::healthyApp)
					.request((p) -> p.marathon("GET", "/v2/apps?id=/parity/", null))
					.expect(200)
					.sameShape(concat(legacy("apps."), "apps.env.*"))
					.that((response) -> assertThat(json(response).get("apps"))
						.extracting((app) -> app.get("id").asText())
						.contains(HEALTHY)
						.allSatisfy((id) -> assertThat(id).contains("/parity/"))),
				route("GET /v2/apps?id= leaves out every app whose id does not hold the value")
					.given(ContractParityTests::healthyApp)
					.request((p) -> p.marathon("GET", "/v2/apps?id=/parity-none/", null))
					.expect(200)
					.that((response) -> assertThat(json(response).get("apps")).isEmpty()),
				parity("marathon/v0.10.1.get_v2_apps_id.response-200.embed-tasks.json",
						"GET /v2/apps/{id}: healthy, with the last task failure")
					.given(ContractParityTests::healthyApp)
					.request((p) -> p.marathon("GET", "/v2/apps" + HEALTHY, null))
					.expect(200)
					// The fixture's check is an HTTP one; this app's a COMMAND check.
					.sameShape(concat(legacy("app."), "app.healthChecks.path", "app.healthChecks.portIndex"))
					.appMatchesSchema("/app")
					.that((response) -> assertThat(json(response).at("/app/tasksHealthy").asInt()).isEqualTo(1)),
				parity("marathon/derived/get_v2_apps_id.response-200.deploying.json",
						"GET /v2/apps/{id}: deploying, no task healthy yet")
					.given((p) -> createApp(p, deployingApp("/parity/deploying")))
					.request((p) -> p.marathon("GET", "/v2/apps/parity/deploying", null))
					.expect(200)
					.sameShape(concat(legacy("app."), "app.healthChecks.path", "app.healthChecks.portIndex"))
					.that((response) -> {
						assertThat(json(response).at("/app/deployments")).hasSize(1);
						assertThat(json(response).at("/app/tasksHealthy").asInt()).isZero();
					}),
				parity("marathon/derived/get_v2_apps_id.response-200.task-failed.json",
						"GET /v2/apps/{id}: its task failed")
					.given(ContractParityTests::failedApp)
					.request((p) -> p.marathon("GET", "/v2/apps/parity/failing", null))
					.expect(200)
					.sameShape(concat(legacy("app."), "app.healthChecks.*"))
					.that((response) -> assertThat(json(response).at("/app/lastTaskFailure/state").asText())
						.isEqualTo("TASK_FAILED")),
				parity("marathon/deployments_result.json", "PUT /v2/apps/{id} starts a deployment")
					.given((p) -> createApp(p, sleeper("/parity/updated", 0)))
					.request((p) -> p.marathon("PUT", "/v2/apps/parity/updated?force=true", "{\"cpus\": 0.2}"))
					.expect(200)
					.sameShape()
					.deploymentHeader("/deploymentId"),
				parity("marathon/deployments_result.json", "POST /v2/apps/{id}/restart starts a deployment")
					.given((p) -> createApp(p, sleeper("/parity/restarted", 0)))
					.request((p) -> p.marathon("POST", "/v2/apps/parity/restarted/restart?force=true", null))
					.expect(200)
					.sameShape()
					.deploymentHeader("/deploymentId"),
				parity("marathon/deployments_result.json", "DELETE /v2/apps/{id} starts a deployment")
					.given((p) -> createApp(p, sleeper("/parity/deleted", 0)))
					.request((p) -> p.marathon("DELETE", "/v2/apps/parity/deleted?force=true", null))
					.expect(200)
					.sameShape()
					.deploymentHeader("/deploymentId"),
				parity("marathon/deployments.json", "GET /v2/deployments")
					.given((p) -> createApp(p, deployingApp("/parity/deploying")))
					.request((p) -> p.marathon("GET", "/v2/deployments", null))
					.expect(200)
					.sameShape(),
				// Marathon: tasks
				parity("marathon/app_tasks.json", "GET /v2/apps/{id}/tasks").given(ContractParityTests::healthyApp)
					.request((p) -> p.marathon("GET", "/v2/apps" + HEALTHY + "/tasks", null))
					.expect(200)
					.sameShape(TASK_PLACEMENT),
				parity("marathon/app_task.json", "DELETE /v2/apps/{id}/tasks/{taskId} answers the task")
					.request((p) -> p.marathon("DELETE",
							"/v2/apps/parity/kill-one/tasks/" + runningTask(p.platform, "/parity/kill-one"), null))
					.expect(200)
					.sameShape("task.region", "task.zone"),
				parity("marathon/deployments_result.json", "DELETE /v2/apps/{id}/tasks/{taskId}?scale=true")
					.request((p) -> p.marathon("DELETE",
							"/v2/apps/parity/kill-scale/tasks/" + runningTask(p.platform, "/parity/kill-scale")
									+ "?scale=true",
							null))
					.expect(200)
					.sameShape()
					.deploymentHeader("/deploymentId"),
				parity("marathon/app_tasks.json", "DELETE /v2/apps/{id}/tasks answers the killed tasks")
					.given((p) -> runningTask(p, "/parity/kill-all"))
					.request((p) -> p.marathon("DELETE", "/v2/apps/parity/kill-all/tasks", null))
					.expect(200)
					.sameShape(TASK_PLACEMENT),
				parity("marathon/tasks.json", "POST /v2/tasks/delete answers the killed tasks")
					.request((p) -> p.marathon("POST", "/v2/tasks/delete",
							"{\"ids\": [\"" + runningTask(p.platform, "/parity/kill-ids") + "\"]}"))
					.expect(200)
					.sameShape(TASK_PLACEMENT),
				// Marathon: errors
				parity("marathon/error.400.invalid-json.json", "a wrong JSON type")
					.request((p) -> p.marathon("POST", "/v2/apps", "{\"id\": 5, \"cmd\": \"true\"}"))
					.expect(400)
					.sameBody(),
				parity("marathon/error.404.app-not-found.json", "an unknown app")
					.request((p) -> p.marathon("GET", "/v2/apps/not_existent", null))
					.expect(404)
					.sameBody(),
				parity("marathon/error.404.task-not-found.json", "an unknown task")
					.given((p) -> createApp(p, sleeper("/parity/no-such-task", 0)))
					.request((p) -> p.marathon("DELETE", "/v2/apps/parity/no-such-task/tasks/not-existing", null))
					.expect(404)
					.sameBody(),
				parity("marathon/error.409.app-already-exists.json", "creating an app twice")
					.given((p) -> createApp(p, sleeper("/parity/existing", 0)))
					.request((p) -> p.marathon("POST", "/v2/apps", sleeper("/parity/existing", 0)))
					.expect(409)
					.sameShape()
					.that((response) -> assertThat(json(response).get("message").asText())
						.isEqualTo("An app with id [/parity/existing] already exists.")),
				parity("marathon/error.409.app-locked-by-deployment.json", "changing an app while it deploys")
					.given((p) -> createApp(p, deployingApp("/parity/deploying")))
					.request((p) -> p.marathon("PUT", "/v2/apps/parity/deploying", "{\"cpus\": 0.5}"))
					.expect(409)
					.sameShape(),
				parity("marathon/error.422.object-not-valid.json", "a value the schema rejects")
					.request((p) -> p.marathon("POST", "/v2/apps",
							"{\"id\": \"/too-careful\", \"cmd\": \"exec sleep 1\", \"upgradeStrategy\": {\"minimumHealthCapacity\": 1.5}}"))
					.expect(422)
					.sameBody(),
				// Marathon: the rest
				parity("marathon/queue.json", "GET /v2/queue lists an app no agent can take, with the reasons")
					.given(ContractParityTests::queuedApp)
					.request((p) -> p.marathon("GET", "/v2/queue", null))
					.expect(200)
					.sameShape("queue.app.*")
					.appMatchesSchema("/queue/0/app")
					.that((response) -> assertSameShape(
							fixture("marathon/queue.json").at("/queue/1/processedOffersSummary"),
							queued(json(response), QUEUED).get("processedOffersSummary"), Set.of()))
					.that((response) -> assertThat(
							queued(json(response), QUEUED).at("/processedOffersSummary/rejectSummaryLastOffers")
								.findValuesAsText("reason"))
						.containsExactly("UnfulfilledRole", "UnfulfilledConstraint", "NoCorrespondingReservationFound",
								"AgentMaintenance", "InsufficientCpus", "InsufficientMemory", "InsufficientDisk",
								"InsufficientGpus", "InsufficientPorts", "DeclinedScarceResources")),
				parity("marathon/info.json", "GET /v2/info").request((p) -> p.marathon("GET", "/v2/info", null))
					.expect(200)
					.sameShape("marathon_config.*", "zookeeper_config.*", "http_config.*"),
				route("GET /ping answers pong in plain text, as raml/general/ping.raml says")
					.request((p) -> p.marathon("GET", "/ping", null))
					.expect(200)
					.text("pong"),
				route("a path outside the emulated subset answers in Marathon's error shape")
					.request((p) -> p.marathon("GET", "/v2/groups", null))
					.expect(404)
					.sameShapeAs("marathon/error.404.app-not-found.json"),
				// Consul: catalog and health
				parity("consul/catalog_register.request.json", "PUT /v1/catalog/register accepts upstream's body")
					.request((p) -> p.consul("PUT", "/v1/catalog/register",
							fixture("consul/catalog_register.request.json").toString()))
					.expect(200)
					.text("true"),
				parity("consul/catalog_service.response.json", "GET /v1/catalog/service/{name}")
					.given(ContractParityTests::registered)
					.request((p) -> p.consul("GET", "/v1/catalog/service/redis", null))
					.expect(200)
					.consulIndex()
					// Meta keys are data of the sample, not part of the shape.
					.sameShape("ServiceMeta.web_meta_value"),
				parity("consul/health_service.response.json", "GET /v1/health/service/{name}?passing")
					.given(ContractParityTests::registered)
					.request((p) -> p.consul("GET", "/v1/health/service/redis?passing", null))
					.expect(200)
					.consulIndex()
					.sameShape("Node.Meta.instance_type"),
				parity("consul/health_service.response.json",
						"GET /v1/health/service/{name}?passing&index= (a blocking query the index is behind)")
					.given(ContractParityTests::registered)
					.request((p) -> p.consul("GET", "/v1/health/service/redis?passing&index=1&wait=1s", null))
					.expect(200)
					.consulIndex()
					.sameShape("Node.Meta.instance_type"),
				parity("consul/health_service.response.json", "GET /v1/health/service/{name} of no instance")
					.request((p) -> p.consul("GET", "/v1/health/service/nobody-here?passing", null))
					.expect(200)
					.consulIndex()
					.text("[]"),
				parity("consul/catalog_services.response.json", "GET /v1/catalog/services")
					.given(ContractParityTests::registered)
					.request((p) -> p.consul("GET", "/v1/catalog/services", null))
					.expect(200)
					.consulIndex()
					.sameShape("consul", "postgresql"),
				parity("consul/catalog_deregister.request.service.json",
						"PUT /v1/catalog/deregister accepts upstream's body")
					.given(ContractParityTests::registered)
					.request((p) -> p.consul("PUT", "/v1/catalog/deregister",
							fixture("consul/catalog_deregister.request.service.json").toString()))
					.expect(200)
					.text("true"),
				// marathon-consul: registration under multiple ports
				parity("marathon-consul/lorem-ipsum.json",
						"marathon-consul registers a port labelled consul as a service of its own")
					.given(ContractParityTests::loremIpsum)
					.request((p) -> p.consul("GET", "/v1/health/service/lorem-ipsum?passing", null))
					.expect(200)
					.consulIndex()
					// Meta keys are data of the sample; marathon-consul registers no
					// meta.
					.sameShapeAs("consul/health_service.response.json", "Node.Meta.instance_type",
							"Service.Meta.redis_version")
					.that((response) -> assertLoremIpsumInstance(response, 0,
							"Lorem ipsum dolor sit amet, consectetur adipiscing elit")),
				parity("marathon-consul/lorem-ipsum.json",
						"marathon-consul registers each port labelled consul and no other port")
					.given(ContractParityTests::loremIpsum)
					.request((p) -> p.consul("GET", "/v1/health/service/lorem-ipsum-secured?passing", null))
					.expect(200)
					.consulIndex()
					.that((response) -> assertLoremIpsumInstance(response, 2, "secureConnection:true"))
					.that((response) -> {
						String taskTag = "marathon-task:" + loremIpsumTask(platform.running()).get("id").asText();
						List<String> services = new ArrayList<>();
						json(platform.consul("GET", "/v1/catalog/services", null)).properties()
							.forEach((service) -> service.getValue().forEach((tag) -> {
								if (tag.asText().equals(taskTag)) {
									services.add(service.getKey());
								}
							}));
						assertThat(services).containsExactlyInAnyOrder("lorem-ipsum", "lorem-ipsum-secured");
					}),
				// Consul: KV
				parity("consul/kv_get.response.json", "GET /v1/kv/{key}")
					.given((p) -> p.consul("PUT", "/v1/kv/zip", "test"))
					.request((p) -> p.consul("GET", "/v1/kv/zip", null))
					.expect(200)
					.consulIndex()
					// Session appears only on keys held by a lock.
					.sameShape("Session")
					.that((response) -> assertThat(RunningPlatform.consulIndex(response))
						.isEqualTo(json(response).at("/0/ModifyIndex").asLong())),
				parity("consul/kv_get.response.json", "GET /v1/kv/{key}?index= (a blocking query the index is behind)")
					.given((p) -> p.consul("PUT", "/v1/kv/zip", "test"))
					.request((p) -> p.consul("GET", "/v1/kv/zip?index=1&wait=1s", null))
					.expect(200)
					.consulIndex()
					.sameShape("Session"),
				parity("consul/kv_get_keys.response.json", "GET /v1/kv/{prefix}?keys&separator=/").given((p) -> {
					p.consul("PUT", "/v1/kv/web/bar", "1");
					p.consul("PUT", "/v1/kv/web/subdir/x", "2");
				})
					.request((p) -> p.consul("GET", "/v1/kv/web/?keys&separator=/", null))
					.expect(200)
					.consulIndex()
					.sameShape()
					.text("[\"web/bar\",\"web/subdir/\"]"),
				parity("consul/kv.response.true.json", "PUT /v1/kv/{key}")
					.request((p) -> p.consul("PUT", "/v1/kv/parity/written", "v"))
					.expect(200)
					.sameBody(),
				parity("consul/kv.response.true.json", "DELETE /v1/kv/{key}")
					.given((p) -> p.consul("PUT", "/v1/kv/parity/deleted", "v"))
					.request((p) -> p.consul("DELETE", "/v1/kv/parity/deleted", null))
					.expect(200)
					.sameBody(),
				parity("consul/kv.response.false.json", "PUT /v1/kv/{key}?cas=0 on a key that exists")
					.given((p) -> p.consul("PUT", "/v1/kv/parity/taken", "first"))
					.request((p) -> p.consul("PUT", "/v1/kv/parity/taken?cas=0", "second"))
					.expect(200)
					.sameBody(),
				parity("consul/kv.response.false.json", "DELETE /v1/kv/{key}?cas=0 never deletes")
					.given((p) -> p.consul("PUT", "/v1/kv/parity/kept", "v"))
					.request((p) -> p.consul("DELETE", "/v1/kv/parity/kept?cas=0", null))
					.expect(200)
					.sameBody(),
				// Consul: agent and status
				parity("consul/agent_self.response.derived.json", "GET /v1/agent/self")
					.request((p) -> p.consul("GET", "/v1/agent/self", null))
					.expect(200)
					.sameShape("Member.ProtocolMin", "Member.ProtocolMax", "Member.ProtocolCur", "Member.DelegateMin",
							"Member.DelegateMax", "Member.DelegateCur", "Member.Tags.bootstrap", "Member.Tags.id",
							"Member.Tags.vsn", "Member.Tags.vsn_max", "Member.Tags.vsn_min", "Meta.instance_type",
							"Meta.os_version"),
				parity("consul/status_leader.response.json", "GET /v1/status/leader")
					.request((p) -> p.consul("GET", "/v1/status/leader", null))
					.expect(200)
					.sameShape(),
				parity("consul/status_peers.response.json", "GET /v1/status/peers")
					.request((p) -> p.consul("GET", "/v1/status/peers", null))
					.expect(200)
					.sameShape(),
				route("a path outside the emulated subset answers in plain text, as Consul's errors")
					.request((p) -> p.consul("GET", "/v1/session/list", null))
					.expect(404)
					.that((response) -> assertThat(response.headers().firstValue("Content-Type").orElse(""))
						.startsWith("text/plain")),
				// Consul: ACLs (on only with local-platform.consul-acl=deny)
				parity("consul/error.401.acl-disabled.txt", "an ACL endpoint while ACLs are off")
					.request((p) -> p.consul("GET", "/v1/acl/token/self", null))
					.expect(401)
					.text(RunningPlatform.text("contract/consul/error.401.acl-disabled.txt")),
				parity("consul/acl_policy.request.json", "PUT /v1/acl/policy accepts upstream's body").withAcls()
					.request((p) -> managed(p, "PUT", "/v1/acl/policy",
							((ObjectNode) fixture("consul/acl_policy.request.json")).put("Name", "node-read-created")
								.toString()))
					.expect(200)
					.sameShapeAs("consul/acl_policy.response.json"),
				parity("consul/acl_policy.response.json", "GET /v1/acl/policy/{id}").withAcls()
					.request((p) -> managed(p, "GET", "/v1/acl/policy/" + policyId(p.running(), "node-read"), null))
					.expect(200)
					.sameShape(),
				parity("consul/acl_policy.response.json", "GET /v1/acl/policy/name/{name}").withAcls()
					.given((p) -> policyId(p, "node-read"))
					.request((p) -> managed(p, "GET", "/v1/acl/policy/name/node-read", null))
					.expect(200)
					.sameShape(),
				parity("consul/acl_policy.response.json", "PUT /v1/acl/policy/{id} replaces the rules").withAcls()
					.request((p) -> managed(p, "PUT", "/v1/acl/policy/" + policyId(p.running(), "node-read"),
							fixture("consul/acl_policy.request.json").toString()))
					.expect(200)
					.sameShape(),
				parity("consul/acl_policies.response.json", "GET /v1/acl/policies").withAcls()
					.given((p) -> policyId(p, "node-read"))
					.request((p) -> managed(p, "GET", "/v1/acl/policies", null))
					.expect(200)
					.sameShape()
					.that((response) -> assertThat(json(response).findValuesAsText("Name"))
						.contains("global-management", "node-read")),
				parity("consul/acl_token.request.json", "PUT /v1/acl/token accepts upstream's body").withAcls()
					.request((p) -> {
						ObjectNode request = (ObjectNode) fixture("consul/acl_token.request.json");
						((ObjectNode) request.withArray("Policies").get(0)).put("ID",
								policyId(p.running(), "node1-write"));
						policyId(p.running(), "node-read");
						return managed(p, "PUT", "/v1/acl/token", request.toString());
					})
					.expect(200)
					.sameShapeAs("consul/acl_token.response.json"),
				parity("consul/acl_token.response.json", "GET /v1/acl/token/self").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> p.consul("GET", "/v1/acl/token/self", null, "X-Consul-Token", READ_ONLY))
					.expect(200)
					.sameShape()
					.that((response) -> assertThat(json(response).get("AccessorID").asText())
						.isEqualTo(READ_ONLY_ACCESSOR)),
				parity("consul/acl_token.response.json", "GET /v1/acl/token/{accessorId}").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> managed(p, "GET", "/v1/acl/token/" + READ_ONLY_ACCESSOR, null))
					.expect(200)
					.sameShape(),
				parity("consul/acl_token.response.json", "PUT /v1/acl/token/{accessorId} replaces the policies")
					.withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> managed(p, "PUT", "/v1/acl/token/" + READ_ONLY_ACCESSOR,
							"{\"Description\": \"read-only\", \"Policies\": [{\"Name\": \"key-read\"}]}"))
					.expect(200)
					.sameShape(),
				parity("consul/acl_tokens.response.json", "GET /v1/acl/tokens").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> managed(p, "GET", "/v1/acl/tokens", null))
					.expect(200)
					.sameShape()
					.that((response) -> assertThat(json(response).findValuesAsText("AccessorID"))
						.contains("00000000-0000-0000-0000-000000000002", READ_ONLY_ACCESSOR)),
				route("the ACL endpoints need the management token").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> p.consul("GET", "/v1/acl/tokens", null, "X-Consul-Token", READ_ONLY))
					.expect(403)
					.text("Permission denied: token with AccessorID '" + READ_ONLY_ACCESSOR
							+ "' lacks permission 'acl:read'"),
				parity("consul/error.403.acl-not-found.txt", "a token that does not exist").withAcls()
					.request((p) -> p.consul("GET", "/v1/kv/parity/acl", null, "X-Consul-Token", "no-such-token"))
					.expect(403)
					.text(RunningPlatform.text("contract/consul/error.403.acl-not-found.txt")),
				parity("consul/error.403.permission-denied.txt", "a KV write the token may not make").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> p.consul("PUT", RECORD, "v", "Authorization", "Bearer " + READ_ONLY))
					.expect(403)
					.text(RunningPlatform.text("contract/consul/error.403.permission-denied.txt")),
				parity("consul/error.403.permission-denied.anonymous.txt", "a KV read without a token").withAcls()
					.request((p) -> p.consul("GET", RECORD, null))
					.expect(403)
					.text(RunningPlatform.text("contract/consul/error.403.permission-denied.anonymous.txt")),
				parity("consul/kv.response.true.json", "a KV read with ?token= of a token that may read").withAcls()
					.given((p) -> {
						readOnlyToken(p);
						p.consul("PUT", "/v1/kv/parity/readable", "true", "X-Consul-Token", MANAGEMENT);
					})
					.request((p) -> p.consul("GET", "/v1/kv/parity/readable?raw&token=" + READ_ONLY, null))
					.expect(200)
					.sameBody(),
				parity("consul/health_service.response.filtered-by-acls.derived.json",
						"GET /v1/health/service/{name} filters silently and says so to a named token")
					.withAcls()
					.given((p) -> {
						readOnlyToken(p);
						p.consul("PUT", "/v1/catalog/register",
								fixture("consul/catalog_register.request.json").toString(), "X-Consul-Token",
								MANAGEMENT);
					})
					.request((p) -> p.consul("GET", "/v1/health/service/redis?passing", null, "X-Consul-Token",
							READ_ONLY))
					.expect(200)
					.consulIndex()
					.sameBody()
					.header("X-Consul-Results-Filtered-By-ACLs", "true"),
				route("GET /v1/agent/self needs agent:read").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> p.consul("GET", "/v1/agent/self", null, "X-Consul-Token", READ_ONLY))
					.expect(403)
					.text("Permission denied: token with AccessorID '" + READ_ONLY_ACCESSOR
							+ "' lacks permission 'agent:read' on \"local-platform\""),
				route("PUT /v1/catalog/register needs service:write").withAcls()
					.given(ContractParityTests::readOnlyToken)
					.request((p) -> p.consul("PUT", "/v1/catalog/register",
							fixture("consul/catalog_register.request.json").toString(), "X-Consul-Token", READ_ONLY))
					.expect(403)
					.that((response) -> assertThat(response.body()).startsWith("Permission denied: token with")),
				route("PUT /local-platform/marathon-consul/token hands the bridge its token (outside Marathon's API)")
					.request((p) -> p.marathon("PUT", "/local-platform/marathon-consul/token", "some-token"))
					.expect(204),
				// libStorage (REX-Ray's API) over the external volumes
				parity("libstorage/volumes_service.response.json", "GET /volumes/{service} lists volumes by id")
					.given((p) -> p.volume("parity-volume"))
					.request((p) -> p.libStorage("GET", "/volumes/local"))
					.expect(200)
					.that((response) -> json(response).properties().forEach((entry) -> {
						assertSameShape(fixture("libstorage/volumes_service.response.json").get("vol-000"),
								entry.getValue(), Set.of("fields.*"));
						// keyed by the provider's id, which is not the name
						assertThat(entry.getValue().path("id").asText()).isEqualTo(entry.getKey())
							.isNotEqualTo(entry.getValue().path("name").asText());
					}))
					.that((response) -> assertThat(json(response).findValuesAsText("name")).contains("parity-volume")),
				parity("libstorage/error.404.resource-not-found.json", "GET /volumes/{service} of another service")
					.request((p) -> p.libStorage("GET", "/volumes/no-such-service"))
					.expect(404)
					.sameBody(),
				parity("libstorage/error.404.resource-not-found.json", "DELETE /volumes/{service}/{volumeID} by name")
					.given((p) -> p.volume("parity-kept"))
					.request((p) -> p.libStorage("DELETE", "/volumes/local/parity-kept"))
					.expect(404)
					.sameBody(),
				route("DELETE /volumes/{service}/{volumeID} answers 205 without a body and the volume is gone")
					.given((p) -> p.volume("parity-removed"))
					.request((p) -> p.libStorage("DELETE", "/volumes/local/" + volumeId(p, "parity-removed")))
					.expect(205)
					.text("")
					.that((response) -> assertThat(
							json(platform.running().libStorage("GET", "/volumes/local")).findValuesAsText("name"))
						.doesNotContain("parity-removed")),
				route("a path outside the emulated subset answers in libStorage's error shape")
					.request((p) -> p.libStorage("GET", "/snapshots"))
					.expect(404)
					.that((response) -> assertThat(json(response).path("type").asText()).isEqualTo("resourceNotFound")),
				// The local platform's own agent routes (no Marathon fixture: not
				// Marathon's
				// API); last, as stopping an agent moves the tasks of the rows above.
				route("GET /local-platform/agents lists the agents")
					.request((p) -> p.marathon("GET", "/local-platform/agents", null))
					.expect(200)
					.that((response) -> assertThat(json(response).findValuesAsText("host")).containsExactly("127.0.1.1",
							"127.0.1.2", "127.0.1.3")),
				route("POST /local-platform/agents/{host}/stop stops an agent")
					.request((p) -> p.marathon("POST", "/local-platform/agents/127.0.1.3/stop", null))
					.expect(200)
					.that((response) -> assertThat(json(response).get("state").asText()).isEqualTo("stopped")),
				route("POST /local-platform/agents/{host}/start starts it again")
					.request((p) -> p.marathon("POST", "/local-platform/agents/127.0.1.3/start", null))
					.expect(200)
					.that((response) -> assertThat(json(response).get("state").asText()).isEqualTo("running")),
				route("an unknown agent answers 404 in Marathon's error shape")
					.request((p) -> p.marathon("POST", "/local-platform/agents/10.0.0.1/stop", null))
					.expect(404)
					.sameShapeAs("marathon/error.404.app-not-found.json"));
	}

	@TestFactory
	Stream<DynamicTest> everyFixtureIsTheLocalPlatformsAnswer() {
		List<Parity> rows = parityChecks();
		Stream<DynamicTest> checks = rows.stream()
			.map((row) -> DynamicTest.dynamicTest(row.toString(),
					() -> row.run((row.acls ? aclPlatform : platform).running(), this::requested)));
		return Stream.concat(checks,
				Stream.of(DynamicTest.dynamicTest("every contract fixture has a parity row", () -> {
					Set<String> unchecked = fixtures();
					rows.stream().map((row) -> row.fixture).filter(Objects::nonNull).forEach(unchecked::remove);
					assertThat(unchecked).as("fixtures without a parity row in ContractParityTests.parityChecks()")
						.isEmpty();
				}), DynamicTest.dynamicTest("every route of the local platform has a parity row", () -> {
					Map<Method, String> routes = routes();
					assertThat(new TreeSet<>(routes.entrySet()
						.stream()
						.filter((route) -> !this.routesRequested.contains(route.getKey()))
						.map(Map.Entry::getValue)
						.toList())).as("routes without a parity row in ContractParityTests.parityChecks()").isEmpty();
				})));
	}

	private void requested(String method, String path) {
		String[] pathAndQuery = path.split("\\?", 2);
		MockHttpServletRequest request = new MockHttpServletRequest(method, pathAndQuery[0]);
		// routes may differ by their query parameters (a blocking query names an index)
		if (pathAndQuery.length == 2) {
			request.setQueryString(pathAndQuery[1]);
			for (String pair : pathAndQuery[1].split("&")) {
				String[] nameValue = pair.split("=", 2);
				request.addParameter(nameValue[0], (nameValue.length == 2) ? nameValue[1] : "");
			}
		}
		try {
			HandlerExecutionChain chain = mapping().getHandler(request);
			assertThat(chain).as("handler of %s %s", method, path).isNotNull();
			this.routesRequested.add(((HandlerMethod) chain.getHandler()).getMethod());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot resolve the route of " + method + " " + path, ex);
		}
	}

	private static RequestMappingHandlerMapping mapping() {
		return platform.running().bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
	}

	/**
	 * The local platform's own routes (not Spring's error page), by handler method.
	 */
	private static Map<Method, String> routes() {
		return mapping().getHandlerMethods()
			.entrySet()
			.stream()
			.filter((route) -> route.getValue()
				.getBeanType()
				.getPackageName()
				.startsWith(LocalPlatformApplication.class.getPackageName()))
			.collect(Collectors.toMap((route) -> route.getValue().getMethod(), (route) -> route.getKey().toString()));
	}

	/**
	 * Every file in the contract fixtures, by its path under {@code contract/}.
	 */
	private static Set<String> fixtures() throws IOException {
		Set<String> names = new TreeSet<>();
		for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:contract/**/*")) {
			String url = resource.getURL().toString();
			if (resource.isReadable() && !url.endsWith("/")) {
				names.add(url.substring(url.lastIndexOf("/contract/") + "/contract/".length()));
			}
		}
		assertThat(names).as("contract fixtures on the classpath").isNotEmpty();
		return names;
	}

	// Setups shared by rows; each is idempotent, as rows share one platform.

	private static HttpResponse<String> managed(Client p, String method, String path, String body) {
		return p.consul(method, path, body, "X-Consul-Token", MANAGEMENT);
	}

	/**
	 * The id of the named policy (upstream's sample rules), created when missing.
	 */
	private static String policyId(RunningPlatform p, String name) {
		HttpResponse<String> found = p.consul("GET", "/v1/acl/policy/name/" + name, null, "X-Consul-Token", MANAGEMENT);
		if (found.statusCode() == 200) {
			return json(found).get("ID").asText();
		}
		ObjectNode policy = ((ObjectNode) fixture("consul/acl_policy.request.json")).put("Name", name);
		return json(p.consul("PUT", "/v1/acl/policy", policy.toString(), "X-Consul-Token", MANAGEMENT)).get("ID")
			.asText();
	}

	/**
	 * The token of the 403 fixture: read of every key, nothing else.
	 */
	private static void readOnlyToken(RunningPlatform p) {
		if (p.consul("GET", "/v1/acl/token/" + READ_ONLY_ACCESSOR, null, "X-Consul-Token", MANAGEMENT)
			.statusCode() == 200) {
			return;
		}
		p.consul("PUT", "/v1/acl/policy",
				"{\"Name\": \"key-read\", \"Rules\": \"key_prefix \\\"\\\" { policy = \\\"read\\\" }\"}",
				"X-Consul-Token", MANAGEMENT);
		HttpResponse<String> created = p.consul("PUT", "/v1/acl/token",
				"{\"AccessorID\": \"" + READ_ONLY_ACCESSOR + "\", \"SecretID\": \"" + READ_ONLY
						+ "\", \"Description\": \"read-only\", \"Policies\": [{\"Name\": \"key-read\"}]}",
				"X-Consul-Token", MANAGEMENT);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
	}

	private static String volumeId(Client client, String name) {
		JsonNode volumes = json(client.running().libStorage("GET", "/volumes/local"));
		for (JsonNode volume : volumes) {
			if (volume.path("name").asText().equals(name)) {
				return volume.path("id").asText();
			}
		}
		throw new IllegalStateException("No volume " + name + " in " + volumes);
	}

	private static void healthyApp(RunningPlatform p) {
		if (p.marathon("GET", "/v2/apps" + HEALTHY, null).statusCode() == 200) {
			return;
		}
		createApp(p, """
				{"id": "%s", "cmd": "exec sleep 300",
				 "healthChecks": [{"protocol": "COMMAND", "command": {"value": "test -d \\"$MESOS_SANDBOX\\""},
				   "intervalSeconds": 1, "gracePeriodSeconds": 5}]}
				""".formatted(HEALTHY));
		JsonNode task = await().atMost(Duration.ofSeconds(15))
			.until(() -> json(p.marathon("GET", "/v2/apps" + HEALTHY, null)).get("app"),
					(app) -> app.get("tasksHealthy").asInt() == 1)
			.get("tasks")
			.get(0);
		// A task that dies gives the app a lastTaskFailure, as the fixture has.
		ProcessHandle.of(p.taskPid(task.get("id").asText())).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> json(p.marathon("GET", "/v2/apps" + HEALTHY, null)).get("app"),
					(app) -> app.has("lastTaskFailure") && app.get("tasksHealthy").asInt() == 1);
	}

	private static void failedApp(RunningPlatform p) {
		createApp(p, """
				{"id": "/parity/failing", "cmd": "echo boom >&2; exit 1", "backoffSeconds": 600}
				""");
		await().atMost(Duration.ofSeconds(15))
			.until(() -> json(p.marathon("GET", "/v2/apps/parity/failing", null)).get("app").has("lastTaskFailure"));
	}

	/**
	 * marathon-consul's multi-port test app, running. Upstream's {@code cmd} is
	 * placeholder text and its HTTP check wants a web server: a Redis on the first port
	 * and a TCP check of that port stand in for them. Its labels and port definitions,
	 * what the rows are about, are upstream's.
	 */
	private static void loremIpsum(RunningPlatform p) {
		if (p.marathon("GET", "/v2/apps" + LOREM_IPSUM, null).statusCode() != 200) {
			ObjectNode app = (ObjectNode) fixture("marathon-consul/lorem-ipsum.json").get("app");
			app.put("cmd", "exec redis-server --port \"$PORT0\" --bind 127.0.0.1 \"$HOST\" --save ''");
			app.putArray("healthChecks")
				.addObject()
				.put("protocol", "MESOS_TCP")
				.put("portIndex", 0)
				.put("intervalSeconds", 1)
				.put("gracePeriodSeconds", 30);
			createApp(p, app.toString());
		}
		for (String service : List.of("lorem-ipsum", "lorem-ipsum-secured")) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> json(p.consul("GET", "/v1/health/service/" + service + "?passing", null)).size() == 1);
		}
	}

	private static JsonNode loremIpsumTask(RunningPlatform p) {
		JsonNode tasks = json(p.marathon("GET", "/v2/apps" + LOREM_IPSUM + "/tasks", null)).get("tasks");
		assertThat(tasks).hasSize(1);
		return tasks.get(0);
	}

	/**
	 * The one instance is the task's port at the index, with marathon-consul's id and
	 * tags: its own, the port's tag, the app's tags, the task's.
	 */
	private static void assertLoremIpsumInstance(HttpResponse<String> response, int portIndex, String portTag) {
		JsonNode task = loremIpsumTask(platform.running());
		JsonNode instances = json(response);
		assertThat(instances).hasSize(1);
		JsonNode service = instances.get(0).get("Service");
		int port = task.at("/ports/" + portIndex).asInt();
		assertThat(service.get("Port").asInt()).isEqualTo(port);
		assertThat(service.get("ID").asText())
			.isEqualTo(task.get("id").asText() + "_" + service.get("Service").asText() + "_" + port);
		List<String> tags = new ArrayList<>();
		service.get("Tags").forEach((tag) -> tags.add(tag.asText()));
		assertThat(tags).containsExactly("marathon", portTag, "default-monitoring", "hystrix-dashboard", "weight:50",
				"marathon-task:" + task.get("id").asText());
	}

	private static void registered(RunningPlatform p) {
		p.consul("PUT", "/v1/catalog/register", fixture("consul/catalog_register.request.json").toString());
	}

	/**
	 * The id of the running task of a one-instance app whose deployment has finished,
	 * created when missing.
	 */
	private static String runningTask(RunningPlatform p, String appId) {
		if (p.marathon("GET", "/v2/apps" + appId, null).statusCode() == 404) {
			createApp(p, sleeper(appId, 1));
		}
		return await().atMost(Duration.ofSeconds(15))
			.until(() -> json(p.marathon("GET", "/v2/apps" + appId, null)).get("app"),
					(app) -> app.get("deployments").isEmpty() && app.get("tasks").size() == 1
							&& app.at("/tasks/0/state").asText().equals("TASK_RUNNING"))
			.at("/tasks/0/id")
			.asText();
	}

	/**
	 * An app with one instance more than agents, each on its own host: one waits in the
	 * queue.
	 */
	private static void queuedApp(RunningPlatform p) {
		createApp(p, "{\"id\": \"" + QUEUED + "\", \"cmd\": \"exec sleep 300\", \"instances\": 4, "
				+ "\"constraints\": [[\"hostname\", \"UNIQUE\"]]}");
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			JsonNode queued = queued(json(p.marathon("GET", "/v2/queue", null)), QUEUED);
			return queued != null && queued.at("/processedOffersSummary/unusedOffersCount").asInt() > 0;
		});
	}

	private static JsonNode queued(JsonNode queue, String appId) {
		for (JsonNode entry : queue.get("queue")) {
			if (entry.at("/app/id").asText().equals(appId)) {
				return entry;
			}
		}
		return null;
	}

	private static void createApp(RunningPlatform p, String app) {
		int status = p.marathon("POST", "/v2/apps", app).statusCode();
		assertThat(status).as("creating %s", app).isIn(201, 409);
	}

	private static String sleeper(String appId, int instances) {
		return "{\"id\": \"" + appId + "\", \"cmd\": \"exec sleep 300\", \"instances\": " + instances + "}";
	}

	/**
	 * An app whose deployment never ends: its one check fails inside a long grace period.
	 */
	private static String deployingApp(String appId) {
		return """
				{"id": "%s", "cmd": "exec sleep 300",
				 "healthChecks": [{"protocol": "COMMAND", "command": {"value": "false"}, "intervalSeconds": 60,
				   "gracePeriodSeconds": 300}]}
				""".formatted(appId);
	}

	static ObjectNode redisApp(String appId, int instances) {
		ObjectNode app = (ObjectNode) RunningPlatform.resource("redis-app.json");
		app.put("id", appId);
		app.put("instances", instances);
		return app;
	}

	/**
	 * The broker's Redis app on a fixed host port with placement constraints, not run.
	 */
	private static ObjectNode requiredPortsApp(String appId) {
		ObjectNode app = redisApp(appId, 0);
		app.put("requirePorts", true);
		((ObjectNode) app.withArray("portDefinitions").get(0)).put("port", 31000);
		ArrayNode constraints = app.putArray("constraints");
		constraints.addArray().add("hostname").add("UNIQUE");
		constraints.addArray().add("zone").add("CLUSTER").add("a");
		return app;
	}

	private static Parity acceptedRequest(String fixture) {
		return parity(fixture, "POST /v2/apps accepts upstream's request").request((p) -> {
			// Not run: upstream's commands listen on fixed ports of every interface.
			ObjectNode request = (ObjectNode) fixture(fixture);
			request.put("id", "/parity/accepted-" + Integer.toHexString(fixture.hashCode()));
			request.put("instances", 0);
			return p.marathon("POST", "/v2/apps", request.toString());
		}).expect(201).appMatchesSchema("");
	}

	private static String[] legacy(String prefix) {
		return LEGACY_APP_FIELDS.stream().map((field) -> prefix + field).toArray(String[]::new);
	}

	private static String[] concat(String[] first, String... more) {
		return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
	}

	private static Parity parity(String fixture, String description) {
		return new Parity(fixture, description);
	}

	private static Parity notEmulated(String fixture, String reason) {
		return new Parity(fixture, "not emulated: " + reason);
	}

	private static Parity route(String description) {
		return new Parity(null, description);
	}

	/**
	 * Sends requests to the platform and reports each one's route.
	 */
	record Client(RunningPlatform platform, RouteListener listener) {

		HttpResponse<String> marathon(String method, String path, String body) {
			this.listener.requested(method, path);
			return this.platform.marathon(method, path, body);
		}

		HttpResponse<String> consul(String method, String path, String body, String... headers) {
			this.listener.requested(method, path);
			return this.platform.consul(method, path, body, headers);
		}

		HttpResponse<String> libStorage(String method, String path) {
			this.listener.requested(method, path);
			return this.platform.libStorage(method, path);
		}

		RunningPlatform running() {
			return this.platform;
		}

	}

	interface RouteListener {

		void requested(String method, String path);

	}

	/**
	 * One parity row: a fixture, the request it answers and what must match.
	 */
	static final class Parity {

		private final String fixture;

		private final String description;

		private Consumer<RunningPlatform> given = (p) -> {
		};

		private Function<Client, HttpResponse<String>> request;

		private int status;

		private final List<Consumer<HttpResponse<String>>> checks = new ArrayList<>();

		private boolean acls;

		Parity(String fixture, String description) {
			this.fixture = fixture;
			this.description = description;
		}

		/** The row runs on the platform with ACLs on deny. */
		Parity withAcls() {
			this.acls = true;
			return this;
		}

		Parity given(Consumer<RunningPlatform> setup) {
			this.given = setup;
			return this;
		}

		Parity request(Function<Client, HttpResponse<String>> exchange) {
			this.request = exchange;
			return this;
		}

		Parity expect(int expectedStatus) {
			this.status = expectedStatus;
			return this;
		}

		/** The whole JSON body equals the fixture (errors). */
		Parity sameBody() {
			return that((response) -> assertThat(json(response)).isEqualTo(fixture(this.fixture)));
		}

		/** Every field of the fixture, with its JSON type, is in the answer. */
		Parity sameShape(String... ignoredPaths) {
			return sameShapeAs(this.fixture, ignoredPaths);
		}

		Parity sameShapeAs(String otherFixture, String... ignoredPaths) {
			return that((response) -> assertSameShape(fixture(otherFixture), json(response), Set.of(ignoredPaths)));
		}

		Parity text(String body) {
			return that((response) -> assertThat(response.body()).isEqualTo(body));
		}

		Parity header(String name, String value) {
			return that((response) -> assertThat(response.headers().firstValue(name)).hasValue(value));
		}

		/** Consul's read headers: the index a blocking query continues from. */
		Parity consulIndex() {
			return that((response) -> {
				assertThat(RunningPlatform.consulIndex(response)).isPositive();
				assertThat(response.headers().firstValue("X-Consul-KnownLeader")).hasValue("true");
			});
		}

		/** Marathon's deployment header names the deployment the body names. */
		Parity deploymentHeader(String pointer) {
			return that((response) -> assertThat(response.headers().firstValue("Marathon-Deployment-Id"))
				.hasValue(json(response).at(pointer).asText()));
		}

		/** The app at the pointer is valid by Marathon's AppDefinition.json. */
		Parity appMatchesSchema(String pointer) {
			return that((response) -> assertThat(AppSchema.violations(json(response).at(pointer)))
				.as("AppDefinition.json violations")
				.isEmpty());
		}

		Parity that(Consumer<HttpResponse<String>> check) {
			this.checks.add(check);
			return this;
		}

		void run(RunningPlatform platform, RouteListener listener) {
			this.given.accept(platform);
			HttpResponse<String> response = this.request.apply(new Client(platform, listener));
			assertThat(response.statusCode()).as("status of %s, body %s", this, response.body()).isEqualTo(this.status);
			this.checks.forEach((check) -> check.accept(response));
		}

		@Override
		public String toString() {
			return ((this.fixture != null) ? this.fixture : "(route)") + ": " + this.description;
		}

	}

}
