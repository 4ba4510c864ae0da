package io.github.redisonmesos.localplatform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping and starting the local platform on the same state directory: apps come back on
 * new ports with their volume data, KV records survive, and no process outlives the
 * platform that started it.
 */
@EndToEnd
class PlatformRestartTests {

	@TempDir
	Path stateDir;

	@Test
	void restartKeepsAppsVolumesAndKvAndLeavesNoProcessBehind() throws Exception {
		long pid;
		int firstPort;
		long seenIndex;
		try (RunningPlatform platform = RunningPlatform.start(this.stateDir)) {
			platform.marathon("POST", "/v2/apps", RunningPlatform.resource("redis-app.json").toString());
			platform.consul("PUT", "/v1/kv/osb-redis/instances/4b1c2a5e?cas=0", "{\"plan\":\"small\"}");
			firstPort = RedisAppLifecycleTests.awaitPassingInstance(platform, null).get("Service").get("Port").asInt();
			pid = RedisAppLifecycleTests.taskPid(platform);
			try (Jedis jedis = RedisAppLifecycleTests.jedis(firstPort)) {
				jedis.set("counter", "7");
			}
			seenIndex = RunningPlatform
				.consulIndex(platform.consul("GET", "/v1/kv/osb-redis/instances/4b1c2a5e", null));
		}
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

		try (RunningPlatform platform = RunningPlatform.start(this.stateDir)) {
			assertThat(platform.marathon("GET", "/v2/apps" + RedisAppLifecycleTests.APP, null).statusCode())
				.isEqualTo(200);
			assertThat(platform.consul("GET", "/v1/kv/osb-redis/instances/4b1c2a5e?raw", null).body())
				.isEqualTo("{\"plan\":\"small\"}");
			// A watcher's index must not go backwards across the restart.
			assertThat(RunningPlatform.consulIndex(platform.consul("GET", "/v1/health/service/any", null)))
				.isGreaterThanOrEqualTo(seenIndex);
			JsonNode instance = RedisAppLifecycleTests.awaitPassingInstance(platform, firstPort);
			try (Jedis jedis = RedisAppLifecycleTests.jedis(instance.get("Service").get("Port").asInt())) {
				assertThat(jedis.get("counter")).isEqualTo("7");
			}
		}
	}

	@Test
	void startSweepsProcessesAKilledPredecessorLeftBehind() throws Exception {
		Process orphan = new ProcessBuilder("sleep", "300").start();
		try {
			long start = orphan.toHandle().info().startInstant().orElseThrow().toEpochMilli();
			Path pids = Files.createDirectories(this.stateDir.resolve("pids"));
			Files.writeString(pids.resolve("gone.instance-1.pid"), orphan.pid() + " " + start);
			Files.createDirectories(this.stateDir.resolve("sandboxes").resolve("gone.instance-1"));
			try (RunningPlatform platform = RunningPlatform.start(this.stateDir)) {
				await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());
				assertThat(pids.resolve("gone.instance-1.pid")).doesNotExist();
				assertThat(this.stateDir.resolve("sandboxes").resolve("gone.instance-1")).doesNotExist();
				assertThat(json(platform.marathon("GET", "/v2/apps", null)).get("apps")).isEmpty();
			}
		}
		finally {
			orphan.destroyForcibly();
		}
	}

	@Test
	void pidFileOfAnotherProcessWithTheSamePidIsNotKilled() throws Exception {
		Process bystander = new ProcessBuilder("sleep", "300").start();
		try {
			Path pids = Files.createDirectories(this.stateDir.resolve("pids"));
			// A recorded start time that does not match: the PID was reused by someone
			// else.
			Files.writeString(pids.resolve("old.instance-1.pid"), bystander.pid() + " 12345");
			try (RunningPlatform platform = RunningPlatform.start(this.stateDir)) {
				assertThat(platform.marathon("GET", "/ping", null).body()).isEqualTo("pong");
				assertThat(pids.resolve("old.instance-1.pid")).doesNotExist();
				assertThat(bystander.isAlive()).isTrue();
			}
		}
		finally {
			bystander.destroyForcibly();
		}
	}

}
