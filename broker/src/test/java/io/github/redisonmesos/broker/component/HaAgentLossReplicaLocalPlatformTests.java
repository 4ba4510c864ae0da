package io.github.redisonmesos.broker.component;

import java.util.UUID;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loss of a replica's agent, the {@code ha} plan on the local platform's four Mesos
 * agents ({@link HaAgentLossLocalPlatform}): the primary takes acknowledged writes
 * throughout, and the replica comes back on the fourth agent.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(5)
@EndToEnd
class HaAgentLossReplicaLocalPlatformTests extends HaAgentLossLocalPlatform {

	@Test
	void theLossOfAReplicasAgentKeepsThePrimaryTakingWritesAndTheReplicaComesBackOnTheFourthAgent() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String lost = null;
		try (Sampler sampler = new Sampler(instanceId)) {
			Bound bound = provisionSettledAndBind(instanceId);
			Writer writer = bound.writer();
			HostAndPort primary = bound.primary();
			long stopped;
			long firstWrite;
			try (writer) {
				awaitAcknowledgedWrites(writer);
				lost = bound.hosts()
					.values()
					.stream()
					.filter((host) -> !host.equals(primary.getHost()))
					.sorted()
					.findFirst()
					.orElseThrow();
				stopped = stopAgent(lost);
				writer.markStop(stopped);
				firstWrite = awaitFirstAcknowledgedWrite(writer);
				assertThat(awaitBackAsReplicaInSync(bound, bound.nodeOn(lost), lost))
					.as("the agent the lost replica came back on")
					.isEqualTo(bound.spare());
				awaitWhole(bound);
				assertThat(bound.primary()).as("the primary, throughout").isEqualTo(primary);
			}
			long whole = System.nanoTime();
			writer.assertEveryAcknowledgedWriteIsKept();
			report("agent loss of " + instanceId + " (a replica's, " + lost + ")", "the stop", stopped, firstWrite,
					whole, writer);
			// the other replica acknowledges WAIT 1 all along: no failover, no gap
			assertThat(writer.longestGapAfterStop()).as("the longest time without an acknowledged write")
				.isLessThan(MAX_GAP_WITHOUT_FAILOVER);
			assertNeverShared(sampler);
		}
		finally {
			startAgent(lost);
			deprovision(instanceId);
		}
	}

}
