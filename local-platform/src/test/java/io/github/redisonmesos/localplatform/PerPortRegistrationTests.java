package io.github.redisonmesos.localplatform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * marathon-consul's "register under multiple ports" as the {@code ha} plan needs it: one
 * task runs Redis on {@code $PORT0} and Sentinel on {@code $PORT1}, each port labelled
 * {@code consul} is a service of its own, and both follow the task.
 */
@EndToEnd
class PerPortRegistrationTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void eachLabelledPortIsAPassingServiceOnTheTasksHostPortWithEveryCheck() {
		createNode("/ha/listed", "listed", 3);
		JsonNode task = runningTask("/ha/listed");
		String taskId = task.get("id").asText();
		int redisPort = task.at("/ports/0").asInt();
		int sentinelPort = task.at("/ports/1").asInt();

		JsonNode redis = awaitPassing("listed", taskId);
		JsonNode sentinel = awaitPassing("listed-sentinel", taskId);

		assertThat(redis.at("/Service/ID").asText()).isEqualTo(taskId + "_listed_" + redisPort);
		String host = task.get("host").asText();
		assertThat(host).as("the task's agent").matches("127\\.0\\.1\\.\\d+");
		assertThat(redis.at("/Service/Address").asText()).isEqualTo(host);
		assertThat(redis.at("/Service/Port").asInt()).isEqualTo(redisPort);
		assertThat(texts(redis.at("/Service/Tags"))).containsExactly("marathon", "redis", "plan-ha",
				"marathon-task:" + taskId);
		assertThat(sentinel.at("/Service/ID").asText()).isEqualTo(taskId + "_listed-sentinel_" + sentinelPort);
		assertThat(sentinel.at("/Service/Port").asInt()).isEqualTo(sentinelPort);
		assertThat(texts(sentinel.at("/Service/Tags"))).containsExactly("marathon", "sentinel", "monitors:" + redisPort,
				"plan-ha", "marathon-task:" + taskId);
		// marathon-consul gives every registration all of the app's checks.
		for (JsonNode instance : List.of(redis, sentinel)) {
			String serviceId = instance.at("/Service/ID").asText();
			assertThat(serviceChecks(instance)).containsExactly(
					"service:" + serviceId + ":1 TCP " + host + ":" + redisPort + " passing",
					"service:" + serviceId + ":2 TCP " + host + ":" + sentinelPort + " passing");
		}
		// The third port has no consul label: no service of the task's but these two.
		assertThat(servicesOfTask(taskId)).containsExactlyInAnyOrder("listed", "listed-sentinel");

		try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", sentinelPort))) {
			assertThat(jedis.sentinelGetMasterAddrByName("ha")).containsExactly("127.0.0.1", String.valueOf(redisPort));
		}
		try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redisPort))) {
			assertThat(jedis.ping()).isEqualTo("PONG");
		}
	}

	@Test
	void restartMovesBothServicesToTheNewTasksPorts() {
		createNode("/ha/moved", "moved", 3);
		JsonNode first = runningTask("/ha/moved");
		awaitPassing("moved", first.get("id").asText());
		awaitPassing("moved-sentinel", first.get("id").asText());
		awaitDeployed("/ha/moved");

		assertThat(platform.marathon("POST", "/v2/apps/ha/moved/restart", null).statusCode()).isEqualTo(200);

		JsonNode second = await().atMost(Duration.ofSeconds(20))
			.until(() -> runningTask("/ha/moved"), (task) -> !task.get("id").equals(first.get("id")));
		String secondId = second.get("id").asText();
		JsonNode redis = awaitPassing("moved", secondId);
		JsonNode sentinel = awaitPassing("moved-sentinel", secondId);
		assertThat(redis.at("/Service/Port").asInt()).isEqualTo(second.at("/ports/0").asInt())
			.isNotEqualTo(first.at("/ports/0").asInt());
		assertThat(sentinel.at("/Service/Port").asInt()).isEqualTo(second.at("/ports/1").asInt())
			.isNotEqualTo(first.at("/ports/1").asInt());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(instanceIds("moved")).containsExactly(redis.at("/Service/ID").asText()));
		assertThat(instanceIds("moved-sentinel")).containsExactly(sentinel.at("/Service/ID").asText());
	}

	@Test
	void killingTheTaskDeregistersBothServices() {
		createNode("/ha/killed", "killed", 3);
		String taskId = runningTask("/ha/killed").get("id").asText();
		awaitPassing("killed", taskId);
		awaitPassing("killed-sentinel", taskId);
		awaitDeployed("/ha/killed");

		assertThat(platform.marathon("DELETE", "/v2/apps/ha/killed/tasks/" + taskId + "?scale=true", null).statusCode())
			.isEqualTo(200);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(serviceNames()).doesNotContain("killed", "killed-sentinel"));
		assertThat(platform.consul("GET", "/v1/catalog/service/killed", null).body()).isEqualTo("[]");
		assertThat(platform.consul("GET", "/v1/catalog/service/killed-sentinel", null).body()).isEqualTo("[]");
	}

	@Test
	void aFailingCheckOnOnePortTakesBothServicesOutOfPassing() {
		// maxConsecutiveFailures 0: Marathon never kills it, so the critical state stays.
		createNode("/ha/sick", "sick", 0);
		JsonNode task = runningTask("/ha/sick");
		String taskId = task.get("id").asText();
		awaitPassing("sick", taskId);
		awaitPassing("sick-sentinel", taskId);

		// The task's process is Sentinel (the shell exec'd it); Redis is its child.
		ProcessHandle.of(platform.taskPid(taskId)).orElseThrow().children().forEach(ProcessHandle::destroyForcibly);

		int redisPort = task.at("/ports/0").asInt();
		for (String service : List.of("sick", "sick-sentinel")) {
			JsonNode instance = await().atMost(Duration.ofSeconds(15))
				.until(() -> json(platform.consul("GET", "/v1/health/service/" + service, null)).get(0),
						(found) -> serviceChecks(found).stream().anyMatch((check) -> check.endsWith("critical")));
			String serviceId = instance.at("/Service/ID").asText();
			assertThat(serviceChecks(instance)).contains(
					"service:" + serviceId + ":1 TCP " + task.get("host").asText() + ":" + redisPort + " critical",
					"service:" + serviceId + ":2 TCP " + task.get("host").asText() + ":" + task.at("/ports/1").asInt()
							+ " passing");
			assertThat(json(platform.consul("GET", "/v1/health/service/" + service + "?passing", null))).isEmpty();
		}
	}

	/**
	 * One node of the {@code ha} plan: Redis on the first port, a Sentinel watching it on
	 * the second, a third port nobody registers; a TCP check on each of the first two.
	 */
	private static void createNode(String appId, String service, int maxConsecutiveFailures) {
		String app = """
				{"id": "%1$s",
				 "cmd": "printf 'port %%s\\nbind 127.0.0.1 %%s\\nsentinel monitor ha 127.0.0.1 %%s 1\\n' \\"$PORT1\\" \\"$HOST\\" \\"$PORT0\\" > \\"$MESOS_SANDBOX/sentinel.conf\\"; redis-server --port \\"$PORT0\\" --bind 127.0.0.1 \\"$HOST\\" --save '' & exec redis-server \\"$MESOS_SANDBOX/sentinel.conf\\" --sentinel",
				 "labels": {"consul": "", "plan-ha": "tag", "osb_plan": "ha"},
				 "portDefinitions": [
				   {"port": 0, "name": "redis", "labels": {"consul": "%2$s", "redis": "tag"}},
				   {"port": 0, "name": "sentinel",
				    "labels": {"consul": "%2$s-sentinel", "sentinel": "tag", "monitors:{port:redis}": "tag"}},
				   {"port": 0, "name": "metrics"}],
				 "healthChecks": [
				   {"protocol": "MESOS_TCP", "portIndex": 0, "gracePeriodSeconds": 30, "intervalSeconds": 1,
				    "timeoutSeconds": 1, "maxConsecutiveFailures": %3$d},
				   {"protocol": "MESOS_TCP", "portIndex": 1, "gracePeriodSeconds": 30, "intervalSeconds": 1,
				    "timeoutSeconds": 1, "maxConsecutiveFailures": %3$d}],
				 "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
				"""
			.formatted(appId, service, maxConsecutiveFailures);
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
	}

	private static JsonNode runningTask(String appId) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> json(platform.marathon("GET", "/v2/apps" + appId + "/tasks", null)).get("tasks"),
					(tasks) -> tasks.size() == 1 && tasks.get(0).get("state").asText().equals("TASK_RUNNING"))
			.get(0);
	}

	private static void awaitDeployed(String appId) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> json(platform.marathon("GET", "/v2/apps" + appId, null)).at("/app/deployments").isEmpty());
	}

	/**
	 * The service's passing instance registered for the task.
	 */
	private static JsonNode awaitPassing(String service, String taskId) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (JsonNode instance : json(platform.consul("GET", "/v1/health/service/" + service + "?passing", null))) {
				if (texts(instance.at("/Service/Tags")).contains("marathon-task:" + taskId)) {
					return instance;
				}
			}
			return null;
		}, (instance) -> instance != null);
	}

	private static List<String> instanceIds(String service) {
		List<String> ids = new ArrayList<>();
		json(platform.consul("GET", "/v1/catalog/service/" + service, null))
			.forEach((instance) -> ids.add(instance.get("ServiceID").asText()));
		return ids;
	}

	/**
	 * The services with an instance tagged with the task, found as marathon-consul finds
	 * them to deregister a task.
	 */
	private static List<String> servicesOfTask(String taskId) {
		List<String> names = new ArrayList<>();
		json(platform.consul("GET", "/v1/catalog/services", null)).properties().forEach((service) -> {
			if (texts(service.getValue()).contains("marathon-task:" + taskId)) {
				names.add(service.getKey());
			}
		});
		return names;
	}

	private static Set<String> serviceNames() {
		List<String> names = new ArrayList<>();
		json(platform.consul("GET", "/v1/catalog/services", null)).fieldNames().forEachRemaining(names::add);
		return Set.copyOf(names);
	}

	/**
	 * An instance's own checks as "id probe status" lines (the node's serfHealth left
	 * out).
	 */
	private static List<String> serviceChecks(JsonNode instance) {
		List<String> checks = new ArrayList<>();
		for (JsonNode check : instance.get("Checks")) {
			if (!check.get("ServiceID").asText().isEmpty()) {
				checks.add(check.get("CheckID").asText() + " TCP " + check.at("/Definition/TCP").asText() + " "
						+ check.get("Status").asText());
			}
		}
		return checks;
	}

	private static List<String> texts(JsonNode array) {
		List<String> texts = new ArrayList<>();
		array.forEach((node) -> texts.add(node.asText()));
		return texts;
	}

}
