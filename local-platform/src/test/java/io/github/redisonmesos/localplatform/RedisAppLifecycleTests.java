package io.github.redisonmesos.localplatform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's Redis app end to end: real redis-server, external volume, Consul
 * registration, restart to a new port with the data kept, deletion.
 */
@EndToEnd
class RedisAppLifecycleTests {

	static final String APP = "/osb-redis/4b1c2a5e-0c1f-4f4a-9d2e-7a1d0c9b8e77";

	static final String SERVICE = "redis-4b1c2a5e-0c1f-4f4a-9d2e-7a1d0c9b8e77";

	static final String VOLUME = "osb-redis-4b1c2a5e-0c1f-4f4a-9d2e-7a1d0c9b8e77";

	static final String PASSWORD = "s3cret-for-tests";

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perTest();

	@Test
	void redisAppRegistersInConsulSurvivesRestartOnANewPortAndDeregistersOnDelete() throws Exception {
		ObjectNode app = (ObjectNode) RunningPlatform.resource("redis-app.json");
		var created = platform.marathon("POST", "/v2/apps", app.toString());
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Marathon-Deployment-Id")).isPresent();

		JsonNode first = awaitPassingInstance(platform.running(), null);
		int firstPort = first.get("Service").get("Port").asInt();
		assertThat(first.get("Service").get("Address").asText()).as("the task's agent").matches("127\\.0\\.1\\.\\d+");
		assertThat(first.get("Service").get("Tags").toString()).contains("marathon", "marathon-task:");
		long pid = taskPid(platform.running());
		try (Jedis jedis = jedis(firstPort)) {
			jedis.set("counter", "41");
			jedis.incr("counter");
		}
		assertThat(Files.isDirectory(platform.stateDir().resolve("volumes").resolve(VOLUME))).isTrue();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/apps" + APP, null)).get("app")
				.get("deployments")
				.isEmpty());

		var restart = platform.marathon("POST", "/v2/apps" + APP + "/restart", null);
		assertThat(restart.statusCode()).isEqualTo(200);
		assertThat(json(restart).has("deploymentId")).isTrue();

		JsonNode second = awaitPassingInstance(platform.running(), firstPort);
		int secondPort = second.get("Service").get("Port").asInt();
		assertThat(secondPort).isNotEqualTo(firstPort);
		assertThat(passing(platform.running())).hasSize(1);
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		try (Jedis jedis = jedis(secondPort)) {
			assertThat(jedis.get("counter")).isEqualTo("42");
		}

		// Like Marathon, the app stays locked until the restart's deployment has
		// finished.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/deployments", null)).isEmpty());
		assertThat(platform.marathon("DELETE", "/v2/apps" + APP, null).statusCode()).isEqualTo(200);
		assertThat(platform.marathon("GET", "/v2/apps" + APP, null).statusCode()).isEqualTo(404);
		await().atMost(Duration.ofSeconds(10)).until(() -> passing(platform.running()).isEmpty());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/deployments", null)).isEmpty());
		assertThat(platform.consul("GET", "/v1/catalog/service/" + SERVICE, null).body()).isEqualTo("[]");
		assertThat(Files.isDirectory(platform.stateDir().resolve("volumes").resolve(VOLUME))).isTrue();
	}

	@Test
	void appReportsTaskHealthAndKeepsThePasswordOffTheCommandLine() throws Exception {
		ObjectNode app = (ObjectNode) RunningPlatform.resource("redis-app.json");
		platform.marathon("POST", "/v2/apps", app.toString());
		JsonNode instance = awaitPassingInstance(platform.running(), null);
		int port = instance.get("Service").get("Port").asInt();
		JsonNode view = json(platform.marathon("GET", "/v2/apps" + APP, null)).get("app");
		assertThat(view.get("tasksRunning").asInt()).isEqualTo(1);
		assertThat(view.get("tasksHealthy").asInt()).isEqualTo(1);
		JsonNode task = view.get("tasks").get(0);
		assertThat(task.get("ports").get(0).asInt()).isEqualTo(port);
		assertThat(task.get("healthCheckResults").get(0).get("alive").asBoolean()).isTrue();
		assertThat(instance.get("Service").get("ID").asText())
			.isEqualTo(task.get("id").asText() + "_" + SERVICE + "_" + port);
		ProcessHandle redis = ProcessHandle.of(taskPid(platform.running())).orElseThrow();
		assertThat(redis.info().commandLine().orElse("")).doesNotContain(PASSWORD);
	}

	@Test
	void taskGetsTheMesosEnvironmentAndItsVolumeInTheSandbox() {
		String app = """
				{"id": "/env-probe", "cmd": "env > $MESOS_SANDBOX/vol/env.txt; exec sleep 60",
				 "env": {"GREETING": "hello"},
				 "portDefinitions": [{"port": 0, "name": "web"}, {"port": 0}],
				 "container": {"type": "MESOS", "volumes": [{"containerPath": "vol", "mode": "RW",
				   "external": {"name": "env-vol", "provider": "dvdi", "options": {"dvdi/driver": "rexray"}}}]},
				 "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
				""";
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
		Path written = platform.stateDir().resolve("volumes").resolve("env-vol").resolve("env.txt");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(written) && Files.size(written) > 0);
		JsonNode task = await().atMost(Duration.ofSeconds(5))
			.until(() -> json(platform.marathon("GET", "/v2/apps/env-probe/tasks", null)).get("tasks"),
					(tasks) -> tasks.size() == 1)
			.get(0);
		int port0 = task.get("ports").get(0).asInt();
		int port1 = task.get("ports").get(1).asInt();
		String taskId = task.get("id").asText();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Files.readString(written)).contains("PORT0=" + port0, "PORT1=" + port1,
					"PORT=" + port0, "PORTS=" + port0 + "," + port1, "PORT_WEB=" + port0,
					"HOST=" + task.get("host").asText(), "MESOS_TASK_ID=" + taskId, "MARATHON_APP_ID=/env-probe",
					"GREETING=hello", "MESOS_SANDBOX=" + platform.stateDir().resolve("sandboxes").resolve(taskId)));
	}

	/**
	 * The broker's coming template: the command writes Redis' ACL file into the volume,
	 * then starts Redis with it, so the users survive a move.
	 */
	@Test
	void commandWritesAnAclFileIntoItsVolumeBeforeStartingRedis() {
		ObjectNode app = ContractParityTests.redisApp(APP, 1);
		app.put("cmd",
				"mkdir -p \"$MESOS_SANDBOX/data\" && printf 'user default on >%s ~* &* +@all\\n' \"$REDIS_PASSWORD\" "
						+ "> \"$MESOS_SANDBOX/data/users.acl\" && exec redis-server --port \"$PORT0\" --bind 127.0.0.1 \"$HOST\" "
						+ "--dir \"$MESOS_SANDBOX/data\" --aclfile \"$MESOS_SANDBOX/data/users.acl\"");
		assertThat(platform.marathon("POST", "/v2/apps", app.toString()).statusCode()).isEqualTo(201);
		int port = awaitPassingInstance(platform.running(), null).get("Service").get("Port").asInt();
		try (Jedis jedis = jedis(port)) {
			assertThat(jedis.aclWhoAmI()).isEqualTo("default");
		}
		assertThat(platform.stateDir().resolve("volumes").resolve(VOLUME).resolve("users.acl")).exists();
	}

	static JsonNode awaitPassingInstance(RunningPlatform platform, Integer notOnPort) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			JsonNode instances = passing(platform);
			for (JsonNode instance : instances) {
				if (notOnPort == null || instance.get("Service").get("Port").asInt() != notOnPort) {
					return instance;
				}
			}
			return null;
		}, (instance) -> instance != null);
	}

	static JsonNode passing(RunningPlatform platform) {
		return json(platform.consul("GET", "/v1/health/service/" + SERVICE + "?passing", null));
	}

	static Jedis jedis(int port) {
		return new Jedis(new HostAndPort("127.0.0.1", port),
				DefaultJedisClientConfig.builder().password(PASSWORD).build());
	}

	/**
	 * The PID of the app's only task.
	 */
	static long taskPid(RunningPlatform platform) {
		JsonNode tasks = json(platform.marathon("GET", "/v2/apps" + APP + "/tasks", null)).get("tasks");
		assertThat(tasks).hasSize(1);
		return platform.taskPid(tasks.get(0).get("id").asText());
	}

}
