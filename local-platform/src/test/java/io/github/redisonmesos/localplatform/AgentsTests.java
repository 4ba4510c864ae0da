package io.github.redisonmesos.localplatform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three agents (the default) on 127.0.1.1-3 in zones a, b and c: Marathon's constraints
 * place tasks across them, an app no agent can take waits in the launch queue with
 * Marathon's reason, and a stopped agent's tasks are lost and replaced on agents that
 * meet their constraints, their external volumes (and data) following them. Each agent is
 * a host of its own for the sockets its tasks listen on.
 */
@EndToEnd
class AgentsTests {

	private static final List<String> HOSTS = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perTest();

	@Test
	void agentsListTheirHostAttributesPortsAndState() {
		JsonNode agents = json(platform.marathon("GET", "/local-platform/agents", null));
		assertThat(agents.findValuesAsText("host")).containsExactlyElementsOf(HOSTS);
		assertThat(agents.findValuesAsText("state")).containsOnly("running");
		assertThat(agents.findValues("attributes").stream().map((zone) -> zone.path("zone").asText()))
			.containsExactly("zone-a", "zone-b", "zone-c");
		assertThat(agents.get(0).get("ports").toString())
			.isEqualTo("{\"*\":\"" + platform.running().taskPorts() + "\"}");
		assertThat(agents.get(0).get("tasks")).isEmpty();
	}

	@Test
	void uniqueHostnameSpreadsThreeInstancesOverThreeAgentsAndAFourthWaitsInTheQueue() {
		create("""
				{"id": "/agents/unique", "cmd": "exec sleep 300", "instances": 3,
				 "constraints": [["hostname", "UNIQUE"]]}
				""");
		assertThat(hostsOf(awaitRunning("/agents/unique", 3))).containsExactlyInAnyOrderElementsOf(HOSTS);
		await().atMost(Duration.ofSeconds(10)).until(() -> deployments("/agents/unique").isEmpty());

		assertThat(platform.marathon("PUT", "/v2/apps/agents/unique", "{\"instances\": 4}").statusCode())
			.isEqualTo(200);
		JsonNode queued = awaitQueued("/agents/unique", "UnfulfilledConstraint", 3);
		assertThat(queued.get("count").asInt()).isEqualTo(1);
		assertThat(queued.at("/delay/overdue").asBoolean()).as("waiting on offers, not backed off").isTrue();
		assertThat(queued.at("/processedOffersSummary/unusedOffersCount").asInt()).isPositive();
		assertThat(tasks("/agents/unique")).hasSize(3);
		assertThat(deployments("/agents/unique")).as("the scale waits for an offer").hasSize(1);
	}

	@Test
	void clusterLikeAndUnlikeOnTheZonePickTheAgents() {
		create("""
				{"id": "/agents/cluster", "cmd": "exec sleep 300", "instances": 2,
				 "constraints": [["zone", "CLUSTER", "zone-b"]]}
				""");
		create("""
				{"id": "/agents/like", "cmd": "exec sleep 300", "instances": 4,
				 "constraints": [["zone", "LIKE", "zone-[ac]"]]}
				""");
		create("""
				{"id": "/agents/unlike", "cmd": "exec sleep 300", "instances": 3,
				 "constraints": [["zone", "UNLIKE", "zone-a"], ["hostname", "UNLIKE", "127\\\\.0\\\\.1\\\\.3"]]}
				""");
		assertThat(hostsOf(awaitRunning("/agents/cluster", 2))).containsOnly("127.0.1.2");
		assertThat(hostsOf(awaitRunning("/agents/like", 4))).containsOnly("127.0.1.1", "127.0.1.3");
		assertThat(hostsOf(awaitRunning("/agents/unlike", 3))).containsOnly("127.0.1.2");
	}

	@Test
	void maxPerAndGroupBySpreadTheInstances() {
		create("""
				{"id": "/agents/max-per", "cmd": "exec sleep 300", "instances": 7,
				 "constraints": [["zone", "MAX_PER", "2"]]}
				""");
		create("""
				{"id": "/agents/group-by", "cmd": "exec sleep 300", "instances": 3,
				 "constraints": [["zone", "GROUP_BY", "3"]]}
				""");
		assertThat(hostsOf(awaitRunning("/agents/group-by", 3))).containsExactlyInAnyOrderElementsOf(HOSTS);
		awaitQueued("/agents/max-per", "UnfulfilledConstraint", 3);
		Map<String, Integer> perHost = new TreeMap<>();
		hostsOf(tasks("/agents/max-per")).forEach((host) -> perHost.merge(host, 1, Integer::sum));
		assertThat(perHost).containsOnlyKeys(HOSTS).allSatisfy((host, count) -> assertThat(count).isEqualTo(2));
	}

	@Test
	void tasksAreKilledByTheirAgentsHost() {
		create("""
				{"id": "/agents/by-host", "cmd": "exec sleep 300", "instances": 3,
				 "constraints": [["hostname", "UNIQUE"]], "backoffSeconds": 60}
				""");
		awaitRunning("/agents/by-host", 3);
		JsonNode killed = json(platform.marathon("DELETE", "/v2/apps/agents/by-host/tasks?host=127.0.1.2", null));
		assertThat(hostsOf(killed.get("tasks"))).containsExactly("127.0.1.2");
	}

	@Test
	void stoppedAgentsTaskIsLostAndMovesWithItsVolumeAndDataToAnAgentThatMeetsItsConstraints() {
		// A Redis that syncs every write to its AOF on the external volume, kept off
		// zone-c.
		create("""
				{"id": "/agents/redis", "instances": 1, "backoffSeconds": 60,
				 "cmd": "mkdir -p \\"$MESOS_SANDBOX/data\\" && exec redis-server --port \\"$PORT0\\" --bind \\"$HOST\\" --save '' --appendonly yes --appendfsync always --dir \\"$MESOS_SANDBOX/data\\"",
				 "constraints": [["zone", "LIKE", "zone-[ab]"]],
				 "labels": {"consul": "agents-redis"},
				 "healthChecks": [{"protocol": "MESOS_TCP", "portIndex": 0, "intervalSeconds": 1, "gracePeriodSeconds": 30}],
				 "container": {"type": "MESOS", "volumes": [{"containerPath": "data", "mode": "RW",
				   "external": {"name": "agents-redis", "provider": "dvdi", "options": {"dvdi/driver": "rexray"}}}]},
				 "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
				""");
		JsonNode first = awaitPassingOn(null);
		String firstHost = first.at("/Service/Address").asText();
		assertThat(firstHost).isIn("127.0.1.1", "127.0.1.2");
		try (Jedis redis = new Jedis(firstHost, first.at("/Service/Port").asInt())) {
			redis.set("counter", "41");
		}
		assertThat(agent(firstHost).get("volumes").toString()).isEqualTo("[\"agents-redis\"]");
		String firstTask = tasks("/agents/redis").get(0).get("id").asText();
		long firstPid = platform.taskPid(firstTask);

		assertThat(platform.marathon("POST", "/local-platform/agents/" + firstHost + "/stop", null).statusCode())
			.isEqualTo(200);
		assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).as("died at once").isFalse();
		assertThat(agent(firstHost).get("state").asText()).isEqualTo("stopped");

		JsonNode moved = awaitPassingOn(firstTask);
		String otherHost = firstHost.equals("127.0.1.1") ? "127.0.1.2" : "127.0.1.1";
		assertThat(moved.at("/Service/Address").asText()).as("the other agent of zones a and b").isEqualTo(otherHost);
		try (Jedis redis = new Jedis(otherHost, moved.at("/Service/Port").asInt())) {
			assertThat(redis.incr("counter")).as("the data moved with the volume").isEqualTo(42);
		}
		assertThat(agent(otherHost).get("volumes").toString()).isEqualTo("[\"agents-redis\"]");
		assertThat(agent(firstHost).get("volumes")).isEmpty();
		JsonNode failure = json(platform.marathon("GET", "/v2/apps/agents/redis", null)).at("/app/lastTaskFailure");
		assertThat(failure.get("state").asText()).isEqualTo("TASK_LOST");
		assertThat(failure.get("taskId").asText()).isEqualTo(firstTask);
		assertThat(failure.get("host").asText()).isEqualTo(firstHost);
		assertThat(failure.get("message").asText()).contains("Agent " + firstHost);
	}

	/**
	 * Agents are addresses of one machine; each is a host of its own all the same: a task
	 * that listens on all addresses is reached at its agent's address only, and once its
	 * agent is stopped and it runs on another with the same required port, the stopped
	 * agent's address reaches nothing (it reached the moved task before, and a Sentinel
	 * made a new primary the replica of itself through it).
	 */
	@Test
	void taskListeningOnAllAddressesIsReachedAtItsAgentsAddressOnlyAndNotThroughAStoppedAgent() {
		int port = platform.freeTaskPort();
		create("""
				{"id": "/agents/everywhere", "instances": 1, "backoffSeconds": 60,
				 "cmd": "exec redis-server --port \\"$PORT0\\" --save '' --appendonly no",
				 "requirePorts": true, "portDefinitions": [{"port": %d}],
				 "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}
				""".formatted(port));
		String firstHost = hostsOf(awaitRunning("/agents/everywhere", 1)).get(0);
		awaitAnswering(firstHost, port);
		for (String address : List.of("127.0.1.1", "127.0.1.2", "127.0.1.3", "127.0.0.1")) {
			if (!address.equals(firstHost)) {
				assertThat(answers(address, port)).as("reached at " + address).isFalse();
			}
		}
		String firstTask = tasks("/agents/everywhere").get(0).get("id").asText();

		assertThat(platform.marathon("POST", "/local-platform/agents/" + firstHost + "/stop", null).statusCode())
			.isEqualTo(200);
		String movedHost = await().atMost(Duration.ofSeconds(20))
			.until(() -> tasks("/agents/everywhere"),
					(tasks) -> tasks.size() == 1 && !tasks.get(0).get("id").asText().equals(firstTask)
							&& "TASK_RUNNING".equals(tasks.get(0).get("state").asText()))
			.get(0)
			.get("host")
			.asText();
		assertThat(movedHost).isNotEqualTo(firstHost);
		awaitAnswering(movedHost, port);
		assertThat(answers(firstHost, port)).as("the stopped agent's address reaches the moved task").isFalse();
	}

	@Test
	void appNoRunningAgentCanTakeWaitsInTheQueueAndLaunchesWhenItsAgentStarts() {
		create("""
				{"id": "/agents/pinned", "cmd": "exec sleep 300", "backoffSeconds": 1,
				 "constraints": [["hostname", "CLUSTER", "127.0.1.3"]]}
				""");
		assertThat(hostsOf(awaitRunning("/agents/pinned", 1))).containsExactly("127.0.1.3");

		platform.marathon("POST", "/local-platform/agents/127.0.1.3/stop", null);
		JsonNode queued = awaitQueued("/agents/pinned", "UnfulfilledConstraint", 2);
		assertThat(queued.at("/processedOffersSummary/rejectSummaryLastOffers").findValuesAsText("reason"))
			.startsWith("UnfulfilledRole", "UnfulfilledConstraint");
		assertThat(tasks("/agents/pinned")).isEmpty();
		assertThat(json(platform.marathon("GET", "/v2/apps/agents/pinned", null)).at("/app/lastTaskFailure/state")
			.asText()).isEqualTo("TASK_LOST");

		platform.marathon("POST", "/local-platform/agents/127.0.1.3/start", null);
		assertThat(hostsOf(awaitRunning("/agents/pinned", 1))).containsExactly("127.0.1.3");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> json(platform.marathon("GET", "/v2/queue", null)).get("queue").isEmpty());
	}

	private static void create(String app) {
		assertThat(platform.marathon("POST", "/v2/apps", app).statusCode()).isEqualTo(201);
	}

	private static JsonNode tasks(String appId) {
		return json(platform.marathon("GET", "/v2/apps" + appId + "/tasks", null)).get("tasks");
	}

	private static JsonNode deployments(String appId) {
		return json(platform.marathon("GET", "/v2/apps" + appId, null)).at("/app/deployments");
	}

	private static JsonNode agent(String host) {
		for (JsonNode agent : json(platform.marathon("GET", "/local-platform/agents", null))) {
			if (agent.get("host").asText().equals(host)) {
				return agent;
			}
		}
		throw new IllegalArgumentException("No agent " + host);
	}

	private static void awaitAnswering(String host, int port) {
		await().atMost(Duration.ofSeconds(20)).until(() -> answers(host, port));
	}

	/**
	 * Whether a Redis answers PING at the address; a refused connection is no answer.
	 */
	private static boolean answers(String host, int port) {
		try (Jedis redis = new Jedis(host, port, 2000)) {
			return "PONG".equals(redis.ping());
		}
		catch (JedisConnectionException ex) {
			return false;
		}
	}

	private static List<String> hostsOf(JsonNode tasks) {
		List<String> hosts = new ArrayList<>();
		tasks.forEach((task) -> hosts.add(task.get("host").asText()));
		return hosts;
	}

	private static JsonNode awaitRunning(String appId, int count) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> tasks(appId), (tasks) -> tasks.size() == count
					&& tasks.findValuesAsText("state").stream().allMatch("TASK_RUNNING"::equals));
	}

	/**
	 * The app's entry in {@code GET /v2/queue} once the last offers of as many agents
	 * were declined for the reason.
	 */
	private static JsonNode awaitQueued(String appId, String reason, int declined) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			for (JsonNode queued : json(platform.marathon("GET", "/v2/queue", null)).get("queue")) {
				if (queued.at("/app/id").asText().equals(appId)) {
					return queued;
				}
			}
			return null;
		}, (queued) -> queued != null && declinedLastOffers(queued, reason) == declined);
	}

	private static int declinedLastOffers(JsonNode queued, String reason) {
		for (JsonNode step : queued.at("/processedOffersSummary/rejectSummaryLastOffers")) {
			if (step.get("reason").asText().equals(reason)) {
				return step.get("declined").asInt();
			}
		}
		return 0;
	}

	/**
	 * The one passing instance of {@code agents-redis} in Consul, once it belongs to a
	 * task other than the given one.
	 */
	private static JsonNode awaitPassingOn(String otherThanTask) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> json(platform.consul("GET", "/v1/health/service/agents-redis?passing", null)),
					(instances) -> instances.size() == 1 && (otherThanTask == null
							|| !instances.at("/0/Service/ID").asText().startsWith(otherThanTask + "_")))
			.get(0);
	}

}
