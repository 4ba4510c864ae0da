package io.github.redisonmesos.broker.component;

import java.util.UUID;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The loss of the primary's agent, the {@code ha} plan on the local platform's four Mesos
 * agents ({@link HaAgentLossLocalPlatform}): the three nodes on three agents, each node's
 * app (node-0's included) keeping off the others' agents as soon as the provision
 * succeeds; under a {@code WAIT 1} writer every acknowledged write is kept, a replica
 * takes over and the lost node comes back on the fourth agent as a replica with the
 * binding's user. One test a class, each on a platform and a broker of its own, so that
 * failsafe runs them side by side: {@link HaAgentLossBusiestAgentLocalPlatformTests},
 * {@link HaAgentLossReplicaLocalPlatformTests},
 * {@link HaAgentLossLeaderLocalPlatformTests} and
 * {@link HaAgentLossQueueLocalPlatformTests} are the others.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(5)
@EndToEnd
class HaAgentLossLocalPlatformTests extends HaAgentLossLocalPlatform {

	@Test
	void theLossOfThePrimarysAgentKeepsEveryAcknowledgedWriteAndTheNodeComesBackOnTheFourthAgent() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String lost = null;
		try (Sampler sampler = new Sampler(instanceId)) {
			Bound bound = provisionSettledAndBind(instanceId);
			lost = bound.primary().getHost();
			primarysAgentLost(bound, lost, sampler);
		}
		finally {
			startAgent(lost);
			deprovision(instanceId);
		}
	}

}
