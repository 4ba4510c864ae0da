package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.consulIndex;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the state directory promises: secrets owner-only, no change without its file, and
 * a PID on disk before the task's command runs.
 */
@EndToEnd
class DurableStateTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void filesThatCanHoldSecretsAreOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
		assertThat(platform.marathon("POST", "/v2/apps", ContractParityTests.redisApp("/secrets/redis", 1).toString())
			.statusCode()).isEqualTo(201);
		assertThat(platform.consul("PUT", "/v1/kv/secrets/record", "{\"password\":\"x\"}").body()).isEqualTo("true");
		Path definition = platform.stateDir().resolve("marathon/apps/%2Fsecrets%2Fredis.json");
		Path kv = platform.stateDir().resolve("consul/kv.json");
		Path volume = platform.stateDir().resolve("volumes/osb-redis-4b1c2a5e-0c1f-4f4a-9d2e-7a1d0c9b8e77");
		await().atMost(Duration.ofSeconds(15)).until(() -> Files.isDirectory(volume));
		assertThat(permissions(definition)).isEqualTo("rw-------");
		assertThat(permissions(kv)).isEqualTo("rw-------");
		assertThat(permissions(volume)).isEqualTo("rwx------");
		try (Stream<Path> files = Files.walk(platform.stateDir().resolve("consul"))) {
			assertThat(files.map(Path::toString)).noneMatch((name) -> name.endsWith(".tmp"));
		}
	}

	@Test
	void kvWriteThatCannotBeStoredAnswers500AndChangesNothing() throws Exception {
		assertThat(platform.consul("PUT", "/v1/kv/durable/key", "stored").body()).isEqualTo("true");
		HttpResponse<String> before = platform.consul("GET", "/v1/kv/durable/key", null);
		Path kv = platform.stateDir().resolve("consul/kv.json");
		// A directory in the file's place: the rename fails, even for root.
		Files.delete(kv);
		Files.createDirectories(kv.resolve("blocker"));

		HttpResponse<String> failed = platform.consul("PUT", "/v1/kv/durable/key", "lost");
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(failed.body()).isNotEqualTo("true");
		HttpResponse<String> after = platform.consul("GET", "/v1/kv/durable/key", null);
		assertThat(after.body()).isEqualTo(before.body());
		assertThat(consulIndex(after)).isEqualTo(consulIndex(before));
		assertThat(platform.consul("DELETE", "/v1/kv/durable/key", null).statusCode()).isEqualTo(500);
		assertThat(platform.consul("GET", "/v1/kv/durable/key?raw", null).body()).isEqualTo("stored");

		Files.delete(kv.resolve("blocker"));
		Files.delete(kv);
		assertThat(platform.consul("PUT", "/v1/kv/durable/key", "again").body()).isEqualTo("true");
		assertThat(platform.consul("GET", "/v1/kv/durable/key?raw", null).body()).isEqualTo("again");
	}

	@Test
	void appThatCannotBeStoredAnswers500AndIsNeitherListedNorStarted() throws Exception {
		Files.createDirectories(platform.stateDir().resolve("marathon/apps/%2Funstored.json/blocker"));
		HttpResponse<String> failed = platform.marathon("POST", "/v2/apps",
				"{\"id\": \"/unstored\", \"cmd\": \"exec sleep 300\"}");
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(json(failed).get("message").asText()).contains("/unstored");
		assertThat(platform.marathon("GET", "/v2/apps/unstored", null).statusCode()).isEqualTo(404);
		// other tests of this class share the platform: only this app's deployment
		// matters
		assertThat(platform.marathon("GET", "/v2/deployments", null).body()).doesNotContain("/unstored");
		Path sandboxes = platform.stateDir().resolve("sandboxes");
		if (Files.isDirectory(sandboxes)) {
			try (Stream<Path> started = Files.list(sandboxes)) {
				assertThat(started.map((sandbox) -> sandbox.getFileName().toString()))
					.noneMatch((name) -> name.startsWith("unstored"));
			}
		}
	}

	@Test
	void pidFileIsOnDiskBeforeTheTaskCommandRuns() {
		String app = """
				{"id": "/pid-first", "cmd": "test -f \\"$PIDS/$MESOS_TASK_ID.pid\\" && echo recorded > v/seen; exec sleep 300",
				 "env": {"PIDS": "%s"},
				 "container": {"type": "MESOS", "volumes": [{"containerPath": "v", "mode": "RW",
				   "external": {"name": "pid-first", "provider": "dvdi"}}]},
				 "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
				"""
			.formatted(platform.stateDir().resolve("pids"));
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
		Path seen = platform.stateDir().resolve("volumes/pid-first/seen");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(seen) && Files.size(seen) > 0);
	}

	private static String permissions(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

}
