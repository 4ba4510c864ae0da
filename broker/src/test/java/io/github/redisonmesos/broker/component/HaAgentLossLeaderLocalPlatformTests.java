package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loss of the agent of the Sentinel elected to lead a failover, the {@code ha} plan
 * on the local platform's four Mesos agents ({@link HaAgentLossLocalPlatform}): with the
 * primary's process killed, every acknowledged write is kept and the instance comes back
 * whole.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(2)
@EndToEnd
class HaAgentLossLeaderLocalPlatformTests extends HaAgentLossLocalPlatform {

	/**
	 * The primary's process killed, and the agent of the Sentinel elected to lead that
	 * failover stopped as soon as it says so ({@code +elected-leader}): the failover it
	 * leads is cut short wherever it stands (the events it published before are printed),
	 * and the Sentinel left, with the old primary's own, back while its Redis waits
	 * (docs/HA-NODE.md, Start, rule 2), has to finish it.
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

}
