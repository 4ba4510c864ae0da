package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.JsonShapes.assertSameShape;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static io.github.redisonmesos.localplatform.RunningPlatform.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Marathon API answers in the shapes of the recorded upstream bodies in
 * {@code src/test/resources/fixtures/marathon}.
 */
class MarathonContractTests {

	// Pre-1.5 fields Marathon no longer generates (fixtures NOTES.md, item 1), and a
	// health check's "command" that Marathon only reports for COMMAND checks.
	private static final Set<String> LEGACY_APP_FIELDS = Set.of("args", "container", "executor", "ports", "storeUrls",
			"uris", "user", "healthChecks.command", "app.args", "app.container", "app.executor", "app.ports",
			"app.storeUrls", "app.uris", "app.user", "app.healthChecks.command");

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void upstreamExternalVolumeRequestIsAcceptedAndItsCommandWritesToTheVolume() {
		JsonNode request = resource("fixtures/marathon/post_v2_apps.request.external-volume-dvdi-rexray-mesos.json");
		HttpResponse<String> created = platform.marathon("POST", "/v2/apps", request.toString());
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location")).hasValue("/v2/apps/hello");
		Path written = platform.stateDir().resolve("volumes/my-test-vol/test.txt");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(written) && Files.size(written) > 0);
		assertThat(platform.marathon("DELETE", "/v2/apps/hello?force=true", null).statusCode()).isEqualTo(200);
	}

	@Test
	void createAnswersLikeMarathon() {
		ObjectNode request = (ObjectNode) resource("fixtures/marathon/v0.10.1.post_v2_apps.request.json");
		// Same definition, but a command that exists everywhere and stays on loopback.
		request.put("id", "shape-create");
		request.put("cmd", "exec sleep 300");
		request.put("instances", 0);
		HttpResponse<String> created = platform.marathon("POST", "/v2/apps", request.toString());
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = json(created);
		assertSameShape(resource("fixtures/marathon/v0.10.1.post_v2_apps.response-201.json"), body, LEGACY_APP_FIELDS);
		assertThat(body.get("id").asText()).isEqualTo("/shape-create");
		assertThat(body.get("deployments").get(0).get("id").asText())
			.isEqualTo(created.headers().firstValue("Marathon-Deployment-Id").orElseThrow());
	}

	@Test
	void appTasksDeploymentsAndRestartAnswerLikeMarathon() {
		String app = """
				{"id": "/shape-app", "cmd": "exec sleep 300",
				 "healthChecks": [{"protocol": "COMMAND", "command": {"value": "test -d \\"$MESOS_SANDBOX\\""},
				   "intervalSeconds": 1, "gracePeriodSeconds": 5}]}
				""";
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
		assertSameShape(resource("fixtures/marathon/deployments.json"),
				json(platform.marathon("GET", "/v2/deployments", null)), Set.of());
		awaitDeployed("shape-app");
		JsonNode restarted = json(platform.marathon("POST", "/v2/apps/shape-app/restart", null));
		assertSameShape(resource("fixtures/marathon/v1.3.6.post_v2_apps_id_restart.response-200.json"), restarted,
				Set.of());
		awaitDeployed("shape-app");
		// A restart replaces a task that ran without failing: lastTaskFailure is absent;
		// give the app one to report by killing its task from outside.
		JsonNode task = json(platform.marathon("GET", "/v2/apps/shape-app/tasks", null)).get("tasks").get(0);
		assertSameShape(resource("fixtures/marathon/app_tasks.json"),
				json(platform.marathon("GET", "/v2/apps/shape-app/tasks", null)), Set.of("tasks.region", "tasks.zone"));
		ProcessHandle.of(platform.taskPid(task.get("id").asText())).orElseThrow().destroyForcibly();
		JsonNode view = await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/apps/shape-app", null)),
					(json) -> json.get("app").has("lastTaskFailure")
							&& json.get("app").get("tasksHealthy").asInt() == 1);
		// The fixture's check is an HTTP one; this app's is a COMMAND check, without path
		// and port.
		Set<String> ignored = new java.util.HashSet<>(LEGACY_APP_FIELDS);
		ignored.addAll(Set.of("app.healthChecks.path", "app.healthChecks.portIndex"));
		assertSameShape(resource("fixtures/marathon/v0.10.1.get_v2_apps_id.response-200.embed-tasks.json"), view,
				ignored);
	}

	@Test
	void errorsAnswerLikeMarathon() {
		assertThat(json(platform.marathon("GET", "/v2/apps/not_existent", null)))
			.isEqualTo(resource("fixtures/marathon/error.404.app-not-found.json"));

		String invalid = "{\"id\": \"/too-careful\", \"cmd\": \"exec sleep 1\", \"upgradeStrategy\": {\"minimumHealthCapacity\": 1.5}}";
		HttpResponse<String> notValid = platform.marathon("POST", "/v2/apps", invalid);
		assertThat(notValid.statusCode()).isEqualTo(422);
		assertThat(json(notValid)).isEqualTo(resource("fixtures/marathon/error.422.object-not-valid.json"));

		HttpResponse<String> badJson = platform.marathon("POST", "/v2/apps", "{\"id\": 5, \"cmd\": \"true\"}");
		assertThat(badJson.statusCode()).isEqualTo(400);
		assertThat(json(badJson)).isEqualTo(resource("fixtures/marathon/error.400.invalid-json.json"));

		String app = "{\"id\": \"/existing-app\", \"cmd\": \"exec sleep 300\", \"healthChecks\": [{\"protocol\": \"COMMAND\", \"command\": {\"value\": \"false\"}}]}";
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
		HttpResponse<String> exists = platform.marathon("POST", "/v2/apps", app);
		assertThat(exists.statusCode()).isEqualTo(409);
		assertThat(json(exists).get("message").asText()).isEqualTo("An app with id [/existing-app] already exists.");
		assertSameShape(resource("fixtures/marathon/error.409.app-already-exists.json"), json(exists), Set.of());

		HttpResponse<String> locked = platform.marathon("PUT", "/v2/apps/existing-app", "{\"cpus\": 0.5}");
		assertThat(locked.statusCode()).isEqualTo(409);
		assertSameShape(resource("fixtures/marathon/error.409.app-locked-by-deployment.json"), json(locked), Set.of());
		assertThat(platform.marathon("DELETE", "/v2/apps/existing-app?force=true", null).statusCode()).isEqualTo(200);
	}

	@Test
	void missingProgramIsRejectedWithAHint() {
		HttpResponse<String> response = platform.marathon("POST", "/v2/apps",
				"{\"id\": \"/nope\", \"cmd\": \"exec no-such-program-here --port $PORT0\"}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(json(response).get("details").get(0).get("path").asText()).isEqualTo("/cmd");
		assertThat(json(response).get("details").get(0).get("errors").get(0).asText()).contains("no-such-program-here",
				"PATH");
	}

	@Test
	void pingInfoAndUnemulatedPathsAnswer() {
		assertThat(platform.marathon("GET", "/ping", null).body()).isEqualTo("pong");
		assertThat(json(platform.marathon("GET", "/v2/info", null)).get("name").asText()).isEqualTo("marathon");
		HttpResponse<String> groups = platform.marathon("GET", "/v2/groups", null);
		assertThat(groups.statusCode()).isEqualTo(404);
		assertThat(json(groups).get("message").asText()).contains("not emulated");
		HttpResponse<String> consulOnMarathonPort = platform.marathon("GET", "/v1/agent/self", null);
		assertThat(consulOnMarathonPort.statusCode()).isEqualTo(404);
		assertThat(consulOnMarathonPort.body()).contains("not emulated");
		HttpResponse<String> marathonOnConsulPort = platform.consul("GET", "/v2/apps", null);
		assertThat(marathonOnConsulPort.statusCode()).isEqualTo(404);
		assertThat(marathonOnConsulPort.body()).contains("not emulated");
	}

	private static void awaitDeployed(String appId) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			JsonNode app = json(platform.marathon("GET", "/v2/apps/" + appId, null)).get("app");
			return app.get("tasksHealthy").asInt() == 1 && app.get("deployments").isEmpty();
		});
	}

}
