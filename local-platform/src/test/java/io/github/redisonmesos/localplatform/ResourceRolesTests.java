package io.github.redisonmesos.localplatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agents with a static reservation ({@code ports(marathon):[33000-33099]} beside
 * {@code ports(*)}): a port of the reserved range goes only to an app whose
 * {@code acceptedResourceRoles} (or Marathon's default accepted roles) include the role;
 * otherwise the app waits in the queue with Marathon's reason.
 */
@EndToEnd
class ResourceRolesTests {

	private static final String[] RESERVED = { "--local-platform.reserved-ports=33000-33099" };

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass(RESERVED);

	@Test
	void agentsOfferTheReservedRangeForTheRole() {
		JsonNode agent = json(platform.marathon("GET", "/local-platform/agents", null)).get(0);
		assertThat(agent.get("ports").toString())
			.isEqualTo("{\"*\":\"" + platform.running().taskPorts() + "\",\"marathon\":\"33000-33099\"}");
	}

	@Test
	void reservedPortWithoutTheAcceptedRoleNeverStartsAndTheQueueSaysWhy() {
		create(platform.running(), sleeperOn("/roles/without", 33010, null));
		JsonNode queued = awaitQueued(platform.running(), "/roles/without", "InsufficientPorts");
		assertThat(queued.get("count").asInt()).isEqualTo(1);
		JsonNode app = json(platform.marathon("GET", "/v2/apps/roles/without", null)).get("app");
		assertThat(app.get("tasks")).isEmpty();
		assertThat(app.get("deployments")).hasSize(1);
		assertThat(app.has("lastTaskFailure")).isFalse();
	}

	@Test
	void reservedPortWithTheAcceptedRoleStarts() {
		create(platform.running(), sleeperOn("/roles/with", 33011, "[\"marathon\", \"*\"]"));
		assertThat(awaitRunning(platform.running(), "/roles/with").at("/ports/0").asInt()).isEqualTo(33011);
	}

	@Test
	void appAcceptingARoleNoAgentOffersIsDeclinedForItsRole() {
		create(platform.running(), sleeperOn("/roles/other", 0, "[\"other\"]"));
		awaitQueued(platform.running(), "/roles/other", "UnfulfilledRole");
	}

	@Test
	void defaultAcceptedRolesApplyToAppsWithoutTheirOwn() throws IOException {
		Path stateDir = Files.createTempDirectory("local-platform-");
		try (RunningPlatform defaults = RunningPlatform.start(stateDir, RESERVED[0],
				"--local-platform.default-accepted-resource-roles=*,marathon")) {
			create(defaults, sleeperOn("/roles/default", 33012, null));
			assertThat(awaitRunning(defaults, "/roles/default").at("/ports/0").asInt()).isEqualTo(33012);
		}
		finally {
			DurableFiles.deleteTree(stateDir);
		}
	}

	private static String sleeperOn(String appId, int port, String roles) {
		return """
				{"id": "%s", "cmd": "exec sleep 300", "requirePorts": true, "portDefinitions": [{"port": %d}],
				 "backoffSeconds": 1%s}
				""".formatted(appId, port, (roles != null) ? ", \"acceptedResourceRoles\": " + roles : "");
	}

	private static void create(RunningPlatform on, String app) {
		assertThat(on.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
	}

	private static JsonNode awaitRunning(RunningPlatform on, String appId) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> json(on.marathon("GET", "/v2/apps" + appId + "/tasks", null)).get("tasks"),
					(tasks) -> tasks.size() == 1 && tasks.at("/0/state").asText().equals("TASK_RUNNING"))
			.get(0);
	}

	/**
	 * The app's queue entry once every agent's last offer was declined for the reason.
	 */
	private static JsonNode awaitQueued(RunningPlatform on, String appId, String reason) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (JsonNode queued : json(on.marathon("GET", "/v2/queue", null)).get("queue")) {
				if (queued.at("/app/id").asText().equals(appId)) {
					return queued;
				}
			}
			return null;
		}, (queued) -> queued != null && declined(queued, reason) == 3);
	}

	private static int declined(JsonNode queued, String reason) {
		for (JsonNode step : queued.at("/processedOffersSummary/rejectSummaryLastOffers")) {
			if (step.get("reason").asText().equals(reason)) {
				return step.get("declined").asInt();
			}
		}
		return 0;
	}

}
