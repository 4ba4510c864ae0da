package io.github.redisonmesos.localplatform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Marathon's promise that {@code instances} keep running: failed tasks are replaced with
 * backoff, unhealthy ones are killed, and {@code lastTaskFailure} says why.
 */
@EndToEnd
class TaskSupervisionTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perTest();

	@Test
	void failingCommandIsRelaunchedAndLastTaskFailureSaysWhy() {
		String app = """
				{"id": "/crashy", "cmd": "echo run >> $MESOS_SANDBOX/v/runs; echo boom >&2; exit 3",
				 "backoffSeconds": 1, "backoffFactor": 1.0,
				 "container": {"type": "MESOS", "volumes": [{"containerPath": "v", "mode": "RW",
				   "external": {"name": "crashy-vol", "provider": "dvdi", "options": {}}}]},
				 "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
				""";
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
		Path runs = platform.stateDir().resolve("volumes/crashy-vol/runs");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(runs) && Files.readAllLines(runs).size() >= 3);
		JsonNode view = json(platform.marathon("GET", "/v2/apps/crashy", null)).get("app");
		JsonNode failure = view.get("lastTaskFailure");
		assertThat(failure.get("state").asText()).isEqualTo("TASK_FAILED");
		assertThat(failure.get("message").asText()).contains("status 3").contains("boom");
		assertThat(failure.get("appId").asText()).isEqualTo("/crashy");
	}

	@Test
	void taskKilledFromOutsideIsReplacedByANewTask() throws Exception {
		String app = """
				{"id": "/sleeper", "cmd": "exec sleep 300", "labels": {"consul": ""}}
				""";
		platform.marathon("POST", "/v2/apps", app);
		JsonNode first = awaitOneTask("/sleeper");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> json(platform.consul("GET", "/v1/health/service/sleeper?passing", null)).size() == 1);
		ProcessHandle.of(platform.taskPid(first.get("id").asText())).orElseThrow().destroyForcibly();

		JsonNode second = await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/apps/sleeper/tasks", null)).get("tasks"),
					(tasks) -> tasks.size() == 1 && !tasks.get(0).get("id").equals(first.get("id")))
			.get(0);
		JsonNode instances = await().atMost(Duration.ofSeconds(5))
			.until(() -> json(platform.consul("GET", "/v1/health/service/sleeper?passing", null)),
					(list) -> list.size() == 1
							&& list.get(0).get("Service").get("ID").asText().startsWith(second.get("id").asText()));
		assertThat(instances.get(0).get("Service").get("Tags").toString())
			.contains("marathon-task:" + second.get("id").asText());
		assertThat(json(platform.marathon("GET", "/v2/apps/sleeper", null)).get("app")
			.get("lastTaskFailure")
			.get("state")
			.asText()).isEqualTo("TASK_FAILED");
	}

	@Test
	void taskFailingItsHealthCheckIsKilledAndReplaced() {
		String app = """
				{"id": "/deaf", "cmd": "exec sleep 300",
				 "healthChecks": [{"protocol": "MESOS_TCP", "portIndex": 0, "gracePeriodSeconds": 0,
				   "intervalSeconds": 1, "timeoutSeconds": 1, "maxConsecutiveFailures": 2}]}
				""";
		platform.marathon("POST", "/v2/apps", app);
		JsonNode failure = await().atMost(Duration.ofSeconds(15))
			.until(() -> json(platform.marathon("GET", "/v2/apps/deaf", null)).get("app").path("lastTaskFailure"),
					(node) -> !node.isMissingNode());
		assertThat(failure.get("state").asText()).isEqualTo("TASK_KILLED");
		assertThat(failure.get("message").asText()).contains("health check failed");
		awaitOneTask("/deaf");
		JsonNode view = json(platform.marathon("GET", "/v2/apps/deaf", null)).get("app");
		assertThat(view.get("tasksHealthy").asInt()).isZero();
		// The deployment cannot complete while no task turns healthy, as in Marathon.
		assertThat(view.get("deployments")).hasSize(1);
	}

	@Test
	void scalingChangesTheNumberOfTasksWithoutReplacingThem() {
		platform.marathon("POST", "/v2/apps", "{\"id\": \"/scaled\", \"cmd\": \"exec sleep 300\"}");
		JsonNode first = awaitOneTask("/scaled");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> json(platform.marathon("GET", "/v2/deployments", null)).isEmpty());
		var scaled = platform.marathon("PUT", "/v2/apps/scaled", "{\"instances\": 3}");
		assertThat(scaled.statusCode()).isEqualTo(200);
		JsonNode tasks = await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/apps/scaled/tasks", null)).get("tasks"),
					(list) -> list.size() == 3);
		assertThat(tasks.findValuesAsText("id")).contains(first.get("id").asText());
		platform.marathon("PUT", "/v2/apps/scaled?force=true", "{\"instances\": 0}");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/apps/scaled/tasks", null)).get("tasks").isEmpty());
	}

	private JsonNode awaitOneTask(String appId) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/apps" + appId + "/tasks", null)).get("tasks"),
					(tasks) -> tasks.size() == 1)
			.get(0);
	}

}
