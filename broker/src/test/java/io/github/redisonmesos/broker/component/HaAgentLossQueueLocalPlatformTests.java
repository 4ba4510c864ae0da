package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSentineled;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fewer agents than nodes, the {@code ha} plan on the local platform
 * ({@link HaAgentLossLocalPlatform}): with only three agents running and one of them
 * lost, the node waits in Marathon's queue, health says it is missing, the instance takes
 * writes and an update says which node waits, until the agent is back.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(2)
@EndToEnd
class HaAgentLossQueueLocalPlatformTests extends HaAgentLossLocalPlatform {

	@Test
	void withThreeAgentsAndOneLostTheNodeWaitsTheInstanceServesAndAnUpdateSaysWhichNodeWaits() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String spare = null;
		String lost = null;
		try (Sampler sampler = new Sampler(instanceId)) {
			Bound bound = provisionSettledAndBind(instanceId);
			Map<Integer, String> hosts = bound.hosts();
			JsonNode credentials = bound.credentials();
			// three agents left: the one no node runs on stops
			spare = bound.spare();
			stopAgent(spare);
			HostAndPort primary = bound.primary();
			int replica = hosts.entrySet()
				.stream()
				.filter((node) -> !node.getValue().equals(primary.getHost()))
				.findFirst()
				.orElseThrow()
				.getKey();
			lost = hosts.get(replica);
			stopAgent(lost);

			// the node waits in Marathon's queue for an agent no other node runs on
			String app = "/osb-redis/" + instanceId + "/node-" + replica;
			JsonNode queued = await().atMost(BOUND)
				.until(() -> queueEntry(app), (entry) -> entry != null && entry.path("count").asInt() == 1);
			assertThat(queued.path("processedOffersSummary").toString()).contains("UnfulfilledConstraint");
			JsonNode degraded = await().atMost(BOUND)
				.until(() -> haHealth(instanceId), (nodes) -> nodes.path("node-" + replica).asText().equals("missing"));
			assertThat(degraded.path("whole").asBoolean()).isFalse();
			// the instance takes writes a replica acknowledged
			try (JedisSentineled client = HaBindings.sentineled(credentials.path("master_name").asText(),
					bound.config(), bound.sentinels(), BOUND)) {
				client.set("degraded", "v");
				assertThat(client.waitReplicas("degraded", 1, 2000)).isEqualTo(1);
			}

			// an update says which node waits, and finishes once the agent is back
			assertThat(api
				.call(HttpMethod.PATCH, instancePath(instanceId) + "?accepts_incomplete=true",
						"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"timeout\":300}}")
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(BOUND)
				.until(() -> lastOperation(instanceId, "update").path("description").asText(),
						(description) -> description.startsWith("rolling update: node-" + replica
								+ " waits for an agent no other node runs on (Marathon keeps it in its launch queue"));
			assertThat(lastOperation(instanceId, "update").path("state").asText()).isEqualTo("in progress");
			startAgent(lost);
			lost = null;
			await().atMost(Duration.ofSeconds(300))
				.until(() -> lastOperation(instanceId, "update").path("state").asText(), "succeeded"::equals);
			awaitWhole(bound);
			assertThat(Set.copyOf(nodeHosts(instanceId).values())).hasSize(3).doesNotContain(spare);
			assertNeverShared(sampler);
		}
		finally {
			startAgent(spare);
			startAgent(lost);
			deprovision(instanceId);
		}
	}

}
