package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentineled;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loss of an agent in the {@code ha} plan's harder cases, on the local platform's
 * four Mesos agents ({@link HaAgentLossLocalPlatform}): the loss of the agent of the
 * Sentinel elected to lead a failover (the primary's process killed) keeps every
 * acknowledged write and the instance comes back whole; with only three agents running
 * and one of them lost, the node waits in Marathon's queue, health says it is missing,
 * the instance takes writes and an update says which node waits, until the agent is back.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(2)
@EndToEnd
class HaAgentLossLeaderAndQueueLocalPlatformTests extends HaAgentLossLocalPlatform {

	/**
	 * The primary's process killed, and the agent of the Sentinel elected to lead that
	 * failover stopped as soon as it says so ({@code +elected-leader}): the failover it
	 * leads is cut short wherever it stands (the events it published before are printed),
	 * and the Sentinels left, or the old primary's own wait (docs/HA-NODE.md, Start, rule
	 * 2), have to finish it.
	 */
	@Test
	void theLossOfTheAgentOfTheSentinelThatLeadsAFailoverKeepsEveryAcknowledgedWriteAndTheInstanceComesBackWhole()
			throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String lost = null;
		try (Sampler sampler = new Sampler(instanceId)) {
			Bound bound = provisionSettledAndBind(instanceId);
			Writer writer = bound.writer();
			HostAndPort primary = bound.primary();
			long killed;
			long stopped;
			long firstWrite;
			try (writer; SentinelEvents events = new SentinelEvents(bound.sentinels(), adminPassword(instanceId))) {
				awaitAcknowledgedWrites(writer);
				long pid;
				try (Jedis redis = new Jedis(primary, bound.config())) {
					pid = processId(redis.info("server"));
				}
				assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
				killed = System.nanoTime();
				writer.markStop(killed);
				SentinelEvent elected = await().atMost(BOUND)
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(5))
					.until(() -> events.first("+elected-leader"), Objects::nonNull);
				String leader = elected.sentinel().getHost();
				lost = leader;
				long asked = System.nanoTime();
				stopped = stopAgent(leader);
				List<SentinelEvent> beforeStop = events.until(stopped);
				System.out.printf(
						"failover of %s: %s elected %d ms after the kill, its agent's stop asked %d ms after and done "
								+ "%d ms after; the Sentinels' events until then: %s%n",
						instanceId, elected.sentinel(), (elected.at() - killed) / 1_000_000,
						(asked - elected.at()) / 1_000_000, (stopped - elected.at()) / 1_000_000, beforeStop);
				assertThat(lost).as("the leader's agent (a replica's)").isNotEqualTo(primary.getHost());

				firstWrite = awaitFirstAcknowledgedWrite(writer);
				// the old primary may be the one: if no replica could be promoted, it
				// starts as
				// the primary with its own data after its wait (docs/HA-NODE.md, Start,
				// rule 2)
				HostAndPort named = await().atMost(BOUND).ignoreExceptions().until(bound::primary, Objects::nonNull);
				assertThat(named.getHost()).isNotEqualTo(leader);
				System.out.printf("failover of %s: primary %s, then %s (%s); events after the stop: %s%n", instanceId,
						primary, named, named.equals(primary) ? "the old primary back" : "a replica promoted",
						events.after(stopped));
				assertThat(awaitBackAsReplicaInSync(bound, bound.nodeOn(leader), leader))
					.as("the agent the leader's node came back on")
					.isEqualTo(bound.spare());
				awaitWhole(bound);
			}
			long whole = System.nanoTime();
			writer.assertEveryAcknowledgedWriteIsKept();
			report("failover of " + instanceId + " (the primary killed, the leader's agent " + lost + " lost)",
					"the kill", killed, firstWrite, whole, writer);
			System.out.printf("failover of %s: the nodes' agents %s, then %s%n", instanceId, bound.hosts(),
					nodeHosts(instanceId));
			assertNeverShared(sampler);
		}
		finally {
			startAgent(lost);
			deprovision(instanceId);
		}
	}

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
			try (JedisSentineled client = new JedisSentineled(credentials.path("master_name").asText(), bound.config(),
					bound.sentinels(), bound.config())) {
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
