package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loss of the primary's agent when another app's tasks make the fourth agent the
 * busiest ({@link HaAgentLossLocalPlatform}): the lost node still comes back there, never
 * beside another node; in steady state before, the broker reads no node app from
 * Marathon.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(2)
@EndToEnd
class HaAgentLossBusiestAgentLocalPlatformTests extends HaAgentLossLocalPlatform {

	// the steady state is watched over 20 HA checks: at half a second apart, 10 s
	@Override
	Duration haInterval() {
		return Duration.ofMillis(500);
	}

	/**
	 * The fourth agent runs two tasks of another app, so it is the busiest: a node
	 * replaced by a constraint that missed another node's agent would land beside that
	 * node (the local platform, like Marathon's offers, puts a task on the agent with the
	 * fewest tasks first). Right after the provision every node's app, node-0's included,
	 * keeps off the others' agents; in steady state the broker reads no node app from
	 * Marathon.
	 */
	@Test
	void withAnotherAppsTasksOnTheFourthAgentTheLostPrimaryStillComesBackThereAndNeverBesideAnotherNode()
			throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String busy = "/busy/" + UUID.randomUUID();
		List<String> agents = new ArrayList<>();
		JSON.readTree(platform.get(platform.marathon("/local-platform/agents")).body())
			.forEach((agent) -> agents.add(agent.path("host").asText()));
		String busiest = agents.get(agents.size() - 1);
		String lost = null;
		try (Sampler sampler = new Sampler(instanceId)) {
			// no port (Marathon gives an app without portDefinitions one, at random
			// from the agents' range: a run lost node-2's required port to it, "host
			// port ... is held by another task", and the provision waited 3 minutes)
			platform.createApp("{\"id\":\"" + busy + "\",\"cmd\":\"sleep 3600\",\"instances\":2,\"cpus\":0.01,"
					+ "\"mem\":16,\"portDefinitions\":[],\"constraints\":[[\"hostname\",\"CLUSTER\",\"" + busiest
					+ "\"]]}");
			await().atMost(BOUND).until(() -> tasksOn(busy, busiest) == 2);
			Bound bound = provisionSettledAndBind(instanceId);
			assertThat(bound.spare()).as("the agent no node runs on").isEqualTo(busiest);

			// steady state over 20 of the broker's HA checks (each looks up the nodes and
			// the Sentinels in Consul): nothing changed, so at most one read of the three
			// node apps (the repair's first look once whole may come late)
			long steadyFrom = System.nanoTime();
			double readsBefore = brokerCalls("marathon", "app_get");
			double lookupsBefore = brokerCalls("consul", "health_service");
			await().atMost(BOUND).until(() -> brokerCalls("consul", "health_service") - lookupsBefore >= 40);
			double reads = brokerCalls("marathon", "app_get") - readsBefore;
			long elapsed = System.nanoTime() - steadyFrom;
			System.out.printf(
					"steady state of %s: %.0f reads of a Marathon app by the broker in %d ms, %.1f a minute "
							+ "(broker.reconcile.ha-interval %d ms)%n",
					instanceId, reads, elapsed / 1_000_000, reads * 60e9 / elapsed, haInterval().toMillis());
			assertThat(reads).as("reads of the node apps over 20 HA checks").isLessThanOrEqualTo(3);

			lost = bound.primary().getHost();
			primarysAgentLost(bound, lost, sampler);
		}
		finally {
			startAgent(lost);
			deprovision(instanceId);
			platform.deleteApp(busy);
		}
	}

}
