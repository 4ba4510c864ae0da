package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandboxes of ended tasks stay, with their logs, up to
 * {@code local-platform.kept-sandboxes}, the newest: a failed run keeps the logs of the
 * tasks that failed, as a Mesos agent keeps its sandboxes until its garbage collection.
 */
@EndToEnd
class SandboxRetentionTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass("--local-platform.kept-sandboxes=2");

	@Test
	void endedTasksKeepTheirLogsUpToTheBoundTheNewestFirst() throws Exception {
		HttpResponse<String> created = platform.marathon("POST", "/v2/apps", """
				{"id": "/kept/crashing", "cmd": "echo \\"ran $MESOS_TASK_ID\\"; echo oops >&2; exit 3",
				 "backoffSeconds": 1, "backoffFactor": 1.0}
				""");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		// every failed task, in the order Marathon reported them
		Set<String> failed = new LinkedHashSet<>();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			JsonNode failure = json(platform.marathon("GET", "/v2/apps/kept/crashing", null))
				.at("/app/lastTaskFailure");
			if (failure.has("taskId")) {
				failed.add(failure.get("taskId").asText());
			}
			return failed.size() >= 4;
		});
		// a task that runs now is killed, and ends too
		assertThat(platform.marathon("DELETE", "/v2/apps/kept/crashing?force=true", null).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> platform.marathon("GET", "/v2/apps/kept/crashing", null).statusCode() == 404);

		List<Path> kept = await().atMost(Duration.ofSeconds(15))
			.until(() -> sandboxes("kept_crashing"), (dirs) -> dirs.size() == 2);
		String first = failed.iterator().next();
		assertThat(kept).extracting((dir) -> dir.getFileName().toString()).doesNotContain(first);
		// one task runs at a time: of the two newest ended, at least one failed on its
		// own
		// (the other may be the one the delete killed, perhaps before it wrote)
		assertThat(kept).anySatisfy((sandbox) -> {
			assertThat(Files.readString(sandbox.resolve("stdout"))).isEqualTo("ran " + sandbox.getFileName() + "\n");
			assertThat(Files.readString(sandbox.resolve("stderr"))).contains("oops");
		});
	}

	private static List<Path> sandboxes(String prefix) throws Exception {
		try (Stream<Path> all = Files.list(platform.stateDir().resolve("sandboxes"))) {
			return all.filter((dir) -> dir.getFileName().toString().startsWith(prefix)).toList();
		}
	}

}
