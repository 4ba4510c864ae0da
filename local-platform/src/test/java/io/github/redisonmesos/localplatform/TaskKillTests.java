package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Marathon's task kill endpoints, as chaos tests use them: a killed task is replaced
 * unless the app is scaled down with it, and a task whose process dies on its own is a
 * failure that Consul stops listing.
 */
@EndToEnd
class TaskKillTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void killedTaskIsReplacedDeregisteredAndIsNoFailure() {
		createSleeper("/kill/one", 1, "kill-one");
		String first = runningTasks("/kill/one", 1).get(0);
		await().atMost(Duration.ofSeconds(10)).until(() -> passingIds("kill-one").size() == 1);
		long pid = platform.taskPid(first);

		HttpResponse<String> killed = platform.marathon("DELETE", "/v2/apps/kill/one/tasks/" + first, null);
		assertThat(killed.statusCode()).isEqualTo(200);
		assertThat(json(killed).at("/task/id").asText()).isEqualTo(first);

		String second = await().atMost(Duration.ofSeconds(15))
			.until(() -> runningTasks("/kill/one", 1).get(0), (task) -> !task.equals(first));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> passingIds("kill-one"), (ids) -> ids.size() == 1 && ids.get(0).startsWith(second));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
		JsonNode app = json(platform.marathon("GET", "/v2/apps/kill/one", null)).get("app");
		assertThat(app.get("instances").asInt()).isEqualTo(1);
		assertThat(app.has("lastTaskFailure")).as("a kill a client asked for is no failure").isFalse();
	}

	@Test
	void killWithScaleScalesTheAppDownStoresItAndStartsNoReplacement() throws Exception {
		createSleeper("/kill/scaled", 2, null);
		List<String> tasks = runningTasks("/kill/scaled", 2);
		awaitDeployed("/kill/scaled");

		HttpResponse<String> answer = platform.marathon("DELETE",
				"/v2/apps/kill/scaled/tasks/" + tasks.get(0) + "?scale=true", null);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Marathon-Deployment-Id"))
			.hasValue(json(answer).get("deploymentId").asText());

		awaitDeployed("/kill/scaled");
		assertThat(runningTasks("/kill/scaled", 1)).containsExactly(tasks.get(1));
		JsonNode app = json(platform.marathon("GET", "/v2/apps/kill/scaled", null)).get("app");
		assertThat(app.get("instances").asInt()).isEqualTo(1);
		Path stored = platform.stateDir().resolve("marathon/apps/%2Fkill%2Fscaled.json");
		assertThat(RunningPlatform.JSON.readTree(Files.readString(stored)).get("instances").asInt()).isEqualTo(1);
	}

	@Test
	void scaleKillOfAnAppThatIsDeployingAnswers409UnlessForced() {
		platform.marathon("POST", "/v2/apps", """
				{"id": "/kill/locked", "cmd": "exec sleep 300",
				 "healthChecks": [{"protocol": "COMMAND", "command": {"value": "false"}, "gracePeriodSeconds": 300}]}
				""");
		String task = runningTasks("/kill/locked", 1).get(0);
		String path = "/v2/apps/kill/locked/tasks/" + task + "?scale=true";
		assertThat(platform.marathon("DELETE", path, null).statusCode()).isEqualTo(409);
		assertThat(platform.marathon("DELETE", path + "&force=true", null).statusCode()).isEqualTo(200);
		assertThat(json(platform.marathon("GET", "/v2/apps/kill/locked", null)).at("/app/instances").asInt()).isZero();
	}

	@Test
	void tasksDeleteKillsTasksOfSeveralAppsAndSkipsUnknownIds() {
		createSleeper("/kill/a", 1, null);
		createSleeper("/kill/b", 1, null);
		String a = runningTasks("/kill/a", 1).get(0);
		String b = runningTasks("/kill/b", 1).get(0);
		HttpResponse<String> answer = platform.marathon("POST", "/v2/tasks/delete", "{\"ids\": [\"" + a + "\", \"" + b
				+ "\", \"kill_gone.instance-00000000-0000-0000-0000-000000000000\"]}");
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(json(answer).findValuesAsText("id")).containsExactlyInAnyOrder(a, b);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !runningTasks("/kill/a", 1).contains(a) && !runningTasks("/kill/b", 1).contains(b));
	}

	@Test
	void tasksDeleteWithScaleScalesEveryAffectedAppInOneDeployment() {
		// Tasks that ignore SIGTERM die at the SIGKILL after the kill grace period, so
		// the
		// deployment is still in flight when it is looked at.
		createStubborn("/kill/c", 1);
		createStubborn("/kill/d", 2);
		String c = runningTasks("/kill/c", 1).get(0);
		String d = runningTasks("/kill/d", 2).get(0);
		awaitDeployed("/kill/c");
		awaitDeployed("/kill/d");
		HttpResponse<String> answer = platform.marathon("POST", "/v2/tasks/delete?scale=true",
				"{\"ids\": [\"" + c + "\", \"" + d + "\"]}");
		assertThat(answer.statusCode()).isEqualTo(200);
		String deployment = json(answer).get("deploymentId").asText();
		assertThat(json(platform.marathon("GET", "/v2/apps/kill/c", null)).at("/app/deployments/0/id").asText())
			.isEqualTo(deployment);
		assertThat(json(platform.marathon("GET", "/v2/apps/kill/d", null)).at("/app/deployments/0/id").asText())
			.isEqualTo(deployment);
		assertThat(json(platform.marathon("GET", "/v2/apps/kill/c", null)).at("/app/instances").asInt()).isZero();
		assertThat(json(platform.marathon("GET", "/v2/apps/kill/d", null)).at("/app/instances").asInt()).isEqualTo(1);
		awaitDeployed("/kill/c");
		awaitDeployed("/kill/d");
		assertThat(runningTasks("/kill/d", 1)).doesNotContain(d);
	}

	@Test
	void malformedTaskIdAnswers400AndUnknownAppOrTask404() {
		HttpResponse<String> malformed = platform.marathon("POST", "/v2/tasks/delete",
				"{\"ids\": [\"invalidTaskId\"]}");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(json(malformed).get("message").asText()).startsWith("Invalid task id 'invalidTaskId'.");
		HttpResponse<String> noApp = platform.marathon("DELETE", "/v2/apps/kill/nowhere/tasks/x.instance-1", null);
		assertThat(noApp.statusCode()).isEqualTo(404);
		assertThat(json(noApp).get("message").asText()).isEqualTo("App '/kill/nowhere' does not exist");
		HttpResponse<String> both = platform.marathon("DELETE", "/v2/apps/kill/x/tasks/y?scale=true&wipe=true", null);
		assertThat(both.statusCode()).isEqualTo(400);
	}

	@Test
	void redisServerKilledWithSigkillIsAFailureDeregisteredAndReplacedAfterTheBackoffWithItsData() throws Exception {
		var app = ContractParityTests.redisApp("/kill/redis", 1);
		app.put("backoffSeconds", 2);
		app.withObject("/labels").put("consul", "kill-redis");
		assertThat(platform.marathon("POST", "/v2/apps", app.toString()).statusCode()).isEqualTo(201);
		JsonNode first = await().atMost(Duration.ofSeconds(20))
			.until(() -> json(platform.consul("GET", "/v1/health/service/kill-redis?passing", null)),
					(instances) -> instances.size() == 1)
			.get(0);
		int firstPort = first.at("/Service/Port").asInt();
		try (var jedis = RedisAppLifecycleTests.jedis(firstPort)) {
			// Every write on disk at once: the SIGKILL below must not cost the counter.
			jedis.configSet("appendfsync", "always");
			jedis.set("counter", "7");
		}
		String taskId = runningTasks("/kill/redis", 1).get(0);
		long pid = platform.taskPid(taskId);
		assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).startsWith("redis-server");
		ProcessHandle redis = ProcessHandle.of(pid).orElseThrow();

		redis.destroyForcibly();

		JsonNode failure = await().atMost(Duration.ofSeconds(15))
			.until(() -> json(platform.marathon("GET", "/v2/apps/kill/redis", null)).at("/app/lastTaskFailure"),
					(node) -> !node.isMissingNode());
		assertThat(failure.get("state").asText()).isEqualTo("TASK_FAILED");
		assertThat(failure.get("taskId").asText()).isEqualTo(taskId);
		assertThat(failure.get("message").asText()).contains("signal 9");
		JsonNode second = await().atMost(Duration.ofSeconds(20))
			.until(() -> json(platform.consul("GET", "/v1/health/service/kill-redis?passing", null)),
					(instances) -> instances.size() == 1 && !instances.at("/0/Service/ID").asText().startsWith(taskId))
			.get(0);
		assertThat(json(platform.consul("GET", "/v1/health/service/kill-redis", null)).findValuesAsText("ID"))
			.noneMatch((id) -> id.startsWith(taskId));
		JsonNode replacement = json(platform.marathon("GET", "/v2/apps/kill/redis/tasks", null)).at("/tasks/0");
		assertThat(Instant.parse(replacement.get("stagedAt").asText()))
			.as("the replacement waits for the app's backoff")
			.isAfterOrEqualTo(Instant.parse(failure.get("timestamp").asText()).plusSeconds(2));
		int secondPort = second.at("/Service/Port").asInt();
		assertThat(secondPort).isNotEqualTo(firstPort);
		try (var jedis = RedisAppLifecycleTests.jedis(secondPort)) {
			assertThat(jedis.get("counter")).isEqualTo("7");
		}
	}

	private static void createStubborn(String appId, int instances) {
		assertThat(platform
			.marathon("POST", "/v2/apps",
					"{\"id\": \"" + appId + "\", \"cmd\": \"trap '' TERM; exec sleep 300\", \"instances\": " + instances
							+ "}")
			.statusCode()).isEqualTo(201);
	}

	private static void createSleeper(String appId, int instances, String consulService) {
		String labels = (consulService != null) ? ", \"labels\": {\"consul\": \"" + consulService + "\"}" : "";
		assertThat(platform
			.marathon("POST", "/v2/apps",
					"{\"id\": \"" + appId + "\", \"cmd\": \"exec sleep 300\", \"instances\": " + instances + labels
							+ "}")
			.statusCode()).isEqualTo(201);
	}

	/**
	 * The ids of the app's running tasks, once there are as many as expected.
	 */
	private static List<String> runningTasks(String appId, int count) {
		return await().atMost(Duration.ofSeconds(15))
			.until(() -> json(platform.marathon("GET", "/v2/apps" + appId + "/tasks", null)).get("tasks"),
					(tasks) -> tasks.size() == count
							&& tasks.findValuesAsText("state").stream().allMatch("TASK_RUNNING"::equals))
			.findValuesAsText("id");
	}

	private static void awaitDeployed(String appId) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> json(platform.marathon("GET", "/v2/apps" + appId, null)).at("/app/deployments").isEmpty());
	}

	private static List<String> passingIds(String service) {
		return json(platform.consul("GET", "/v1/health/service/" + service + "?passing", null)).findValuesAsText("ID")
			.stream()
			.filter((id) -> id.contains("_" + service + "_"))
			.toList();
	}

}
