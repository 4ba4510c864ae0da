package io.github.redisonmesos.broker.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.ha.HaPlacementChoice;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.support.FakeDeployer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.model.instance.OperationState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The placement repair on provisioned HA instances (a fake Marathon that counts how often
 * the nodes' apps are read, fake nodes whose Sentinels' reset a test can hold): Marathon
 * is asked only when the hosts the nodes announce in Consul change (or the recheck time
 * passes), a node on another's agent moves at once and no reset runs meanwhile, a move
 * and a reset of one instance never overlap, and the repair runs on a thread of its own
 * while a reset of another instance waits.
 */
class HaPlacementRepairTests {

	private static final String ID = "3e8b1c5a-6d2f-4a7e-9b0c-1d2e3f4a5b6c";

	private static final String OTHER = "8f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final Duration RECHECK = Duration.ofMinutes(5);

	private final CountingDeployer deployer = new CountingDeployer();

	private final FakeNodes nodes = new FakeNodes();

	private final TestBroker broker = new TestBroker(this.deployer, this.nodes);

	private HaPlacementRepair repair = repair(Duration.ofSeconds(10));

	@BeforeEach
	void provisionAWholeHaInstance() {
		provision(ID, 31000);
	}

	@AfterEach
	void stopTheRepair() {
		this.repair.stop();
		this.nodes.release();
	}

	@Test
	void marathonIsAskedOnlyWhenTheHostsTheNodesAnnounceChange() {
		this.broker.watch.check(this.broker.instances.all());
		int before = this.deployer.reads.get();
		for (int round = 0; round < 3; round++) {
			assertThat(repairOnce()).isEmpty();
		}
		assertThat(this.deployer.reads.get() - before).as("reads of the node apps, steady").isEqualTo(1);

		// node-2 moved (a lost agent): Consul lists it at another host
		announce(ID, 31000, "10.0.0.0", "10.0.0.1", "10.0.0.7");
		this.broker.watch.check(this.broker.instances.all());
		repairOnce();
		repairOnce();
		assertThat(this.deployer.reads.get() - before).as("reads after node-2 moved").isEqualTo(2);

		// nothing changed, but Marathon may have been changed behind the broker's back
		this.broker.clock.advance(RECHECK.plusSeconds(1));
		repairOnce();
		assertThat(this.deployer.reads.get() - before).as("reads after the recheck time").isEqualTo(3);
	}

	@Test
	void aNodeOnAnotherNodesAgentMovesAtOnceAndNoResetRunsMeanwhile() {
		// node-2's task started beside node-1's, the primary's since the provision's
		// switch-over
		String node1 = host(ID, 1);
		this.deployer.placed(ID, 2, node1, this.broker.clock.instant());
		announce(ID, 31000, "10.0.0.0", "10.0.0.1", "10.0.0.1");
		this.broker.watch.check(this.broker.instances.all());
		assertThat(this.nodes.resets.get()).as("resets while two nodes share a host").isZero();

		List<HaPlacementChoice.Move> moves = repairOnce();

		assertThat(moves).singleElement().satisfies((move) -> {
			assertThat(move.node()).isEqualTo(2);
			assertThat(move.shared()).isTrue();
		});
		assertThat(this.deployer.calls()).last().isEqualTo("redeploy node-2 " + ID + " " + HA);
		assertThat(this.deployer.nodePlacements(ID, 3).get(2).orElseThrow().avoidedHosts()).contains(node1);
	}

	@Test
	void aMoveWaitsWhileTheInstancesSentinelsAreResetAndARefreshWaitsForTheQuietTime() throws Exception {
		staleReplicaConstraint(ID);
		this.nodes.holdResets();
		Thread watch = new Thread(() -> this.broker.watch.check(this.broker.instances.all()));
		watch.start();
		assertThat(this.nodes.resetEntered.await(10, TimeUnit.SECONDS)).isTrue();
		int reads = this.deployer.reads.get();

		assertThat(repairOnce()).as("moves while the reset runs").isEmpty();
		assertThat(this.deployer.reads.get()).as("reads while the reset runs").isEqualTo(reads);

		this.nodes.release();
		watch.join(Duration.ofSeconds(10).toMillis());
		// every node ran for less than QUIET: the refresh waits
		assertThat(repairOnce()).isEmpty();
		this.broker.clock.advance(HaPlacementRepair.QUIET);
		assertThat(repairOnce()).singleElement().satisfies((move) -> {
			assertThat(move.node()).isEqualTo(2);
			assertThat(move.shared()).isFalse();
		});
	}

	@Test
	void noResetRunsOnAStateReadBeforeAMove() {
		this.broker.watch.check(this.broker.instances.all());
		int resets = this.nodes.resets.get();
		// a move lands between the watch's read of the state and its reset
		this.nodes.whileStateIsRead = () -> this.broker.watch.moveUnlessResetting(ID, () -> true);
		this.broker.watch.check(this.broker.instances.all());
		assertThat(this.nodes.resets.get()).isEqualTo(resets);
		this.nodes.whileStateIsRead = () -> {
		};
		this.broker.watch.check(this.broker.instances.all());
		assertThat(this.nodes.resets.get()).isEqualTo(resets + 1);
	}

	@Test
	void theRepairMovesANodeOfOneInstanceWhileAResetOfAnotherWaits() throws Exception {
		provision(OTHER, 32000);
		this.broker.watch.check(this.broker.instances.all());
		// OTHER's node-2 beside its node-1; ID's Sentinels being reset, held
		this.deployer.placed(OTHER, 2, host(OTHER, 1), this.broker.clock.instant());
		announce(OTHER, 32000, "10.0.0.0", "10.0.0.1", "10.0.0.1");
		this.nodes.holdResets();
		Thread watch = new Thread(() -> this.broker.watch.check(this.broker.instances.all()));
		watch.start();
		assertThat(this.nodes.resetEntered.await(10, TimeUnit.SECONDS)).isTrue();

		this.repair = repair(Duration.ofMillis(50));
		this.repair.start();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.deployer.calls().contains("redeploy node-2 " + OTHER + " " + HA));
		assertThat(this.nodes.resetEntered.getCount()).isZero();
		assertThat(watch.isAlive()).as("the reset of " + ID + ", still held").isTrue();
		this.nodes.release();
		watch.join(Duration.ofSeconds(10).toMillis());
	}

	private List<HaPlacementChoice.Move> repairOnce() {
		return this.repair.repair(this.broker.instances.all(), this.broker.watch.views());
	}

	private HaPlacementRepair repair(Duration interval) {
		return new HaPlacementRepair(this.broker.instances, this.broker.watch, this.deployer, this.broker.deployments,
				new ReconcileProperties(RECHECK, false, interval), this.broker.clock);
	}

	private void provision(String instanceId, int port) {
		this.broker.provision(instanceId, HA);
		announce(instanceId, port, "10.0.0.0", "10.0.0.1", "10.0.0.2");
		for (int poll = 0; poll < 8; poll++) {
			this.broker.lastOperation(instanceId, "provision");
			this.deployer.healthy(instanceId);
		}
		assertThat(this.broker.lastOperation(instanceId, "provision").getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	// each node's Redis and Sentinel as Consul lists them, at the given hosts
	private void announce(String instanceId, int port, String... hosts) {
		this.broker.consul.deregister(ServiceNames.of(instanceId));
		this.broker.consul.deregister(ServiceNames.sentinelOf(instanceId));
		for (int node = 0; node < hosts.length; node++) {
			this.broker.consul.addPassing(ServiceNames.of(instanceId), hosts[node], port + 2 * node,
					List.of(ServiceNames.nodeTag(node)));
			this.broker.consul.addPassing(ServiceNames.sentinelOf(instanceId), hosts[node], port + 2 * node + 1,
					List.of(ServiceNames.nodeTag(node)));
		}
	}

	// node-0 back on a fourth agent (a lost agent), every node running for a minute: the
	// replica node-2's constraint misses that agent
	private void staleReplicaConstraint(String instanceId) {
		Instant started = this.broker.clock.instant().minus(HaPlacementRepair.QUIET).plusSeconds(1);
		this.deployer.placed(instanceId, 0, "10.0.1.9", started);
		this.deployer.placed(instanceId, 1, host(instanceId, 1), started);
		this.deployer.placed(instanceId, 2, host(instanceId, 2), started);
		announce(instanceId, 31000, "10.0.0.9", "10.0.0.1", "10.0.0.2");
	}

	private String host(String instanceId, int node) {
		return this.deployer.nodePlacements(instanceId, 3).get(node).orElseThrow().hosts().get(0);
	}

	/** Marathon that counts the reads of the node apps. */
	private static final class CountingDeployer extends FakeDeployer {

		final AtomicInteger reads = new AtomicInteger();

		@Override
		public List<Optional<NodePlacement>> nodePlacements(String instanceId, int nodes) {
			this.reads.incrementAndGet();
			return super.nodePlacements(instanceId, nodes);
		}

	}

	/**
	 * Whole nodes, node-0 the primary until a switch-over; a reset of the Sentinels can
	 * be held until the test releases it.
	 */
	private static final class FakeNodes implements RedisHa {

		final AtomicInteger resets = new AtomicInteger();

		volatile CountDownLatch resetEntered = new CountDownLatch(0);

		volatile Runnable whileStateIsRead = () -> {
		};

		private volatile int primary;

		private volatile CountDownLatch held = new CountDownLatch(0);

		void holdResets() {
			this.resetEntered = new CountDownLatch(1);
			this.held = new CountDownLatch(1);
		}

		void release() {
			this.held.countDown();
		}

		@Override
		public void handOver(HaAccess access) {
		}

		@Override
		public List<RedisEndpoint> clearGoneAddresses(HaAccess access) {
			this.resets.incrementAndGet();
			this.resetEntered.countDown();
			try {
				this.held.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return List.of();
		}

		@Override
		public void switchOver(HaAccess access, Duration pause) {
			this.primary = (this.primary + 1) % 3;
		}

		@Override
		public HaState state(HaAccess access, int nodes) {
			this.whileStateIsRead.run();
			Map<Integer, HaRole> roles = new HashMap<>();
			for (int node = 0; node < nodes; node++) {
				roles.put(node, (node == this.primary) ? HaRole.PRIMARY : HaRole.REPLICA);
			}
			return new HaState(Optional.of(new RedisEndpoint("10.0.0." + this.primary, 31000)), nodes - 1, nodes, nodes,
					roles);
		}

	}

}
