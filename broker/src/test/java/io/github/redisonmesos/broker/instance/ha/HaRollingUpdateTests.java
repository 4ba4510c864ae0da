package io.github.redisonmesos.broker.instance.ha;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.OperationProgress;
import io.github.redisonmesos.broker.instance.ProvisionProperties;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.broker.tls.TlsDelivery;
import io.github.redisonmesos.broker.tls.TlsDeliveryRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The rolling update of an HA instance, decided poll by poll from the node apps' labels
 * (the fake Marathon) and what the Sentinels say (a fake of the nodes): one node at a
 * time, the replicas first, the primary last after a switch-over, nothing while a node is
 * unhealthy or the instance is not whole, and a broker that restarts mid-roll goes on
 * where the platform stands.
 */
class HaRollingUpdateTests {

	private static final String ID = "9a3c1e5f-7b2d-4c8e-a1f3-5d7b9c2e4a61";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private final FakeNodes nodes = new FakeNodes();

	private final TestBroker broker = new TestBroker(this.nodes);

	private int provisionCalls;

	private int provisionSwitchOvers;

	@BeforeEach
	void provisionAWholeHaInstance() {
		provisionListed(ID, 31000);
		// node-0 alone first, the others once its Sentinel is listed, one at a time;
		// node-1 restarts with a current constraint, the nodes switch over from node-0,
		// which restarts with one too
		for (int poll = 0; poll < 6; poll++) {
			this.broker.lastOperation(ID, "provision");
			this.broker.deployer.healthy(ID);
		}
		assertThat(this.broker.lastOperation(ID, "provision").getState()).isEqualTo(OperationState.SUCCEEDED);
		this.provisionCalls = this.broker.deployer.calls().size();
		this.provisionSwitchOvers = this.nodes.switchOvers;
		// a failover made node-0 the primary again, where the tests below start from
		this.nodes.primary = Optional.of(0);
		this.nodes.switchOvers = 0;
	}

	@Test
	void provisionDeploysTheNodesOneAtATimeAndHandsOverEveryNodeOffTheOthersAgents() {
		// node-1, deployed before node-2 had an agent, restarts with a constraint that
		// keeps it off node-2's too before the instance is handed over; node-0, the
		// primary, deployed with none, restarts with one after a switch-over
		assertThat(this.broker.deployer.calls()).containsExactly("deploy " + ID, "deploy node-1 " + ID,
				"deploy node-2 " + ID, "redeploy node-1 " + ID + " " + HA, "redeploy node-0 " + ID + " " + HA);
		assertThat(this.provisionSwitchOvers).isEqualTo(1);
		List<Optional<NodePlacement>> placements = this.broker.deployer.nodePlacements(ID, 3);
		assertThat(placements).allSatisfy((placement) -> assertThat(placement).isPresent());
		Set<String> hosts = new HashSet<>();
		placements.forEach((placement) -> hosts.addAll(placement.orElseThrow().hosts()));
		assertThat(hosts).hasSize(3);
		for (int node = 0; node < 3; node++) {
			Set<String> others = new HashSet<>(hosts);
			others.removeAll(placements.get(node).orElseThrow().hosts());
			assertThat(placements.get(node).orElseThrow().avoidedHosts()).as("node-%d", node).isEqualTo(others);
		}
	}

	@Test
	void aProvisionSwitchesOverFromNode0AndRestartsItOffTheOthersAgentsBeforeItSucceeds() {
		String other = "7c2e9a41-3b5d-4f6e-8a9b-0c1d2e3f4a5b";
		provisionListed(other, 32000);
		List<String> descriptions = new ArrayList<>();
		for (int poll = 0; poll < 8 && !descriptions.contains("succeeded"); poll++) {
			GetLastServiceOperationResponse response = this.broker.lastOperation(other, "provision");
			descriptions
				.add((response.getState() == OperationState.SUCCEEDED) ? "succeeded" : response.getDescription());
			this.broker.deployer.healthy(other);
		}
		assertThat(descriptions).filteredOn((description) -> description.startsWith("keeping the nodes"))
			.containsExactly(
					"keeping the nodes on agents of their own: node-1 restarting (its constraint does not "
							+ "keep it off 10.0.1.3, where another node runs now)",
					"keeping the nodes on agents of their own: switching over from node-0, the primary, so that it "
							+ "restarts as a replica with a constraint that keeps it off 10.0.1.2, 10.0.1.3",
					"keeping the nodes on agents of their own: node-0 restarting (its constraint does not keep it "
							+ "off 10.0.1.2, 10.0.1.3, where another node runs now)");
		assertThat(descriptions).last().isEqualTo("succeeded");
		assertThat(this.nodes.switchOvers).isEqualTo(1);
		assertThat(this.broker.deployer.nodePlacements(other, 3).get(0).orElseThrow().avoidedHosts())
			.containsExactlyInAnyOrder("10.0.1.2", "10.0.1.3");
	}

	@Test
	void aProvisionWaitsForAnAgentNoOtherNodeRunsOnBeforeTheNextNode() {
		String other = "5b1d7c3e-2f4a-4e6b-9c8d-1a2b3c4d5e6f";
		provisionListed(other, 32000);
		this.broker.lastOperation(other, "provision");
		// node-1 deployed, but no agent takes it: node-2 waits too
		this.broker.deployer.placed(other, 1, null, Instant.now());
		GetLastServiceOperationResponse waiting = this.broker.lastOperation(other, "provision");
		assertThat(waiting.getState()).isEqualTo(OperationState.IN_PROGRESS);
		assertThat(waiting.getDescription()).startsWith("starting the HA nodes (2 of 3 deployed): node-1 waits for an "
				+ "agent no other node runs on (Marathon keeps it in its launch queue, off 10.0.1.1)");
		assertThat(this.broker.deployer.calls()).doesNotContain("deploy node-2 " + other);
	}

	@Test
	void anUpdateSaysWhichNodeWaitsForAnAgentNoOtherNodeRunsOn() {
		updateTimeout();
		assertThat(poll().getDescription()).startsWith("rolling update: node-1 restarting");
		this.broker.deployer.placed(ID, 1, null, Instant.now());
		assertThat(poll().getDescription())
			.startsWith("rolling update: node-1 waits for an agent no other node runs on (Marathon keeps it in its "
					+ "launch queue, off 10.0.1.1, 10.0.1.3)");
	}

	@Test
	void theReplicasRestartOneAtATimeThenTheNodesSwitchOverThenTheOldPrimaryRestarts() {
		List<String> before = this.broker.deployer.calls();
		updateTimeout();
		// the request itself restarts nothing: the polls roll
		assertThat(this.broker.deployer.calls()).isEqualTo(before);
		assertThat(poll().getDescription())
			.isEqualTo("rolling update: node-1 restarting (0 of 3 updated; replicas first, the primary last after a "
					+ "switch-over)");
		// node-1 restarting: nothing else restarts meanwhile
		assertThat(poll().getDescription()).startsWith("rolling update: node-1 restarting (1 of 3 updated");
		this.broker.deployer.healthy(ID, 1);
		// healthy, but not yet back in sync
		this.nodes.inSync = 1;
		assertThat(poll().getDescription())
			.startsWith("rolling update: waiting for the HA instance before the next node")
			.contains("1 of 2 replicas in sync");
		this.nodes.inSync = 2;
		assertThat(poll().getDescription()).startsWith("rolling update: node-2 restarting (1 of 3 updated");
		this.broker.deployer.healthy(ID, 2);
		assertThat(this.nodes.switchOvers).isZero();
		assertThat(poll().getDescription())
			.startsWith("rolling update: switching over from node-0, the primary, to a replica before it restarts "
					+ "(2 of 3 updated");
		assertThat(this.nodes.switchOvers).isEqualTo(1);
		assertThat(rollCalls()).noneMatch((call) -> call.startsWith("redeploy node-0"));
		// the Sentinels name node-1 now, and it is whole: the old primary's node restarts
		assertThat(poll().getDescription()).startsWith("rolling update: node-0 restarting (2 of 3 updated");
		this.broker.deployer.healthy(ID, 0);
		GetLastServiceOperationResponse done = poll();
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription()).startsWith("rolling update done: every node restarted");
		assertThat(this.broker.deployer.calls().subList(before.size(), this.broker.deployer.calls().size()))
			.containsExactly("redeploy node-1 " + ID + " " + HA, "redeploy node-2 " + ID + " " + HA,
					"redeploy node-0 " + ID + " " + HA);
		assertThat(this.nodes.switchOvers).isEqualTo(1);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings().timeout()).isEqualTo(300);
	}

	@Test
	void nothingRestartsWhileANodeIsUnhealthyOrTheInstanceIsNotWhole() {
		updateTimeout();
		this.broker.deployer.unhealthy(ID, 2);
		int calls = this.broker.deployer.calls().size();
		assertThat(poll().getDescription()).startsWith("rolling update: node-2 waiting to restart (0 of 3 updated");
		this.broker.deployer.healthy(ID, 2);
		this.nodes.primary = Optional.empty();
		assertThat(poll().getDescription()).contains("no primary named by the Sentinels");
		this.nodes.primary = Optional.of(0);
		this.nodes.withQuorum = 2;
		assertThat(poll().getDescription()).contains("2 of 3 Sentinels with a quorum");
		assertThat(this.broker.deployer.calls()).hasSize(calls);
		assertThat(this.nodes.switchOvers).isZero();
		this.nodes.withQuorum = 3;
		assertThat(poll().getDescription()).startsWith("rolling update: node-1 restarting");
	}

	@Test
	void theReplicasGoFirstWhereverThePrimaryIs() {
		this.nodes.primary = Optional.of(1);
		updateTimeout();
		poll();
		this.broker.deployer.healthy(ID, 0);
		poll();
		this.broker.deployer.healthy(ID, 2);
		poll();
		assertThat(this.nodes.switchOvers).isEqualTo(1);
		poll();
		this.broker.deployer.healthy(ID, 1);
		assertThat(poll().getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(rollCalls()).filteredOn((call) -> call.startsWith("redeploy"))
			.containsExactly("redeploy node-0 " + ID + " " + HA, "redeploy node-2 " + ID + " " + HA,
					"redeploy node-1 " + ID + " " + HA);
	}

	@Test
	void aBrokerThatRestartsMidRollGoesOnFromWhatMarathonAndTheSentinelsSay() {
		updateTimeout();
		poll();
		this.broker.deployer.healthy(ID, 1);
		// another broker instance (or this one restarted) takes the next poll
		TestBroker restarted = this.broker.sibling();
		assertThat(restarted.lastOperation(ID, "update").getDescription())
			.startsWith("rolling update: node-2 restarting (1 of 3 updated");
		this.broker.deployer.healthy(ID, 2);
		assertThat(restarted.lastOperation(ID, "update").getDescription()).contains("switching over from node-0");
		// a switch-over asked, the Sentinels not yet agreed on the new primary: wait
		this.nodes.primary = Optional.empty();
		TestBroker again = this.broker.sibling();
		assertThat(again.lastOperation(ID, "update").getDescription()).contains("no primary named by the Sentinels");
		this.nodes.primary = Optional.of(1);
		assertThat(again.lastOperation(ID, "update").getDescription()).startsWith("rolling update: node-0 restarting");
		this.broker.deployer.healthy(ID, 0);
		assertThat(again.lastOperation(ID, "update").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(rollCalls()).filteredOn((call) -> call.startsWith("redeploy"))
			.containsExactly("redeploy node-1 " + ID + " " + HA, "redeploy node-2 " + ID + " " + HA,
					"redeploy node-0 " + ID + " " + HA);
		assertThat(this.nodes.switchOvers).isEqualTo(1);
	}

	@Test
	void anUpdateThatChangesNothingRestartsNothing() {
		List<String> before = this.broker.deployer.calls();
		this.broker.instanceService()
			.updateServiceInstance(UpdateServiceInstanceRequest.builder()
				.serviceInstanceId(ID)
				.serviceDefinitionId(TestBroker.SERVICE_ID)
				.planId(HA)
				.asyncAccepted(true)
				.build())
			.block();
		assertThat(this.broker.deployer.calls()).isEqualTo(before);
		assertThat(this.nodes.switchOvers).isZero();
	}

	@Test
	void anUpgradeRollsAsAnUpdateDoesAndRecordsTheVersionOnceEveryNodeRunsIt() {
		TestBroker upgraded = this.broker.restartedWithVersion("1.1.0");
		upgraded.instanceService()
			.updateServiceInstance(UpdateServiceInstanceRequest.builder()
				.serviceInstanceId(ID)
				.serviceDefinitionId(TestBroker.SERVICE_ID)
				.planId(HA)
				.maintenanceInfo(MaintenanceInfo.builder().version("1.1.0").build())
				.asyncAccepted(true)
				.build())
			.block();
		assertThat(rollCalls()).isEmpty();
		assertThat(upgraded.lastOperation(ID, "update").getDescription())
			.isEqualTo("upgrading to 1.1.0: rolling update: node-1 restarting (0 of 3 updated; replicas first, the "
					+ "primary last after a switch-over)");
		this.broker.deployer.healthy(ID, 1);
		assertThat(upgraded.lastOperation(ID, "update").getDescription())
			.startsWith("upgrading to 1.1.0: rolling update: node-2 restarting (1 of 3 updated");
		this.broker.deployer.healthy(ID, 2);
		assertThat(upgraded.lastOperation(ID, "update").getDescription())
			.startsWith("upgrading to 1.1.0: rolling update: switching over from node-0");
		assertThat(upgraded.instances.find(ID).orElseThrow().value().maintenanceVersion()).isEqualTo("1.0.0");
		assertThat(upgraded.lastOperation(ID, "update").getDescription())
			.startsWith("upgrading to 1.1.0: rolling update: node-0 restarting (2 of 3 updated");
		this.broker.deployer.healthy(ID, 0);
		GetLastServiceOperationResponse done = upgraded.lastOperation(ID, "update");
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription()).startsWith("upgraded to 1.1.0: rolling update done");
		assertThat(rollCalls()).containsExactly("redeploy node-1 " + ID + " " + HA, "redeploy node-2 " + ID + " " + HA,
				"redeploy node-0 " + ID + " " + HA);
		assertThat(this.nodes.switchOvers).isEqualTo(1);
		assertThat(upgraded.instances.find(ID).orElseThrow().value().maintenanceVersion()).isEqualTo("1.1.0");
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings().maintenanceVersion())
			.isEqualTo("1.1.0");
	}

	@Test
	void aChangeOfTlsRestartsEveryNodeAtOnceAndSucceedsOnceTheInstanceIsWholeOverTheNewTransport() {
		startTlsChange("required", "from disabled");
		GetLastServiceOperationResponse first = poll();
		assertThat(first.getDescription())
			.isEqualTo("changing tls, every node restarting at once: node-0, node-1, node-2 restarting with tls "
					+ "required; 0 of 3 node apps were on tls required already");
		// all three at once, the primary's too, and no switch-over: a replica with TLS
		// and
		// a primary without could not replicate
		assertThat(rollCalls()).containsExactly("redeploy node-0 " + ID + " " + HA, "redeploy node-1 " + ID + " " + HA,
				"redeploy node-2 " + ID + " " + HA);
		assertThat(this.nodes.switchOvers).isZero();
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings().label()).contains(";tls=required");
		// every node app on the new definition: nothing more restarts while they start
		assertThat(poll().getDescription()).isEqualTo("changing tls, every node restarting at once: waiting for "
				+ "Marathon to start the Redis tasks (0 of 3 healthy)");
		this.broker.deployer.healthy(ID);
		this.nodes.inSync = 1;
		assertThat(poll().getDescription())
			.isEqualTo("changing tls, every node restarting at once: waiting for the HA instance: 1 of 2 replicas in "
					+ "sync");
		this.nodes.inSync = 2;
		GetLastServiceOperationResponse done = poll();
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription()).isEqualTo("tls changed to required: every node restarted at once with it; "
				+ "a primary, 2 replicas in sync and 3 Sentinels with a quorum, over TLS; the data stayed on the "
				+ "volumes; apps need their bindings' new credentials");
		assertThat(rollCalls()).hasSize(3);
		assertThat(this.nodes.switchOvers).isZero();
	}

	@Test
	void aChangeOfTlsLeftHalfDoneRestartsTheNodeAppsStillOnTheOldTransportAndLeavesOneInFlightToItsDeployment() {
		// a deployment of node-2 in flight (the old definition), then the change
		this.broker.deployer.redeployNode(this.broker.deployments.of(this.broker.record(ID)), 2);
		startTlsChange("required", "from disabled");
		// a broker that crashed after node-0's redeploy: node-0 runs the new definition
		this.broker.deployer.redeployNode(this.broker.deployments.of(this.broker.record(ID)), 0);
		int calls = rollCalls().size();
		TestBroker restarted = this.broker.sibling();
		assertThat(restarted.lastOperation(ID, "update").getDescription())
			.isEqualTo("changing tls, every node restarting at once: node-1 restarting with tls required; node-2 "
					+ "finishing a deployment first; 1 of 3 node apps were on tls required already");
		assertThat(rollCalls().subList(calls, rollCalls().size())).containsExactly("redeploy node-1 " + ID + " " + HA);
		// node-2's deployment done, on the old transport: it restarts with the new one
		this.broker.deployer.healthy(ID, 2);
		assertThat(restarted.lastOperation(ID, "update").getDescription()).startsWith(
				"changing tls, every node restarting at once: node-2 restarting with tls required; 2 of 3 node apps");
		this.broker.deployer.healthy(ID);
		assertThat(restarted.lastOperation(ID, "update").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(rollCalls().subList(calls, rollCalls().size())).containsExactly("redeploy node-1 " + ID + " " + HA,
				"redeploy node-2 " + ID + " " + HA);
		assertThat(this.nodes.switchOvers).isZero();
	}

	@Test
	void aChangeOfTlsThatTimesOutFailsSayingWhatItWasDoing() {
		startTlsChange("required", "from disabled");
		poll();
		this.broker.clock.advance(Duration.ofMinutes(11));
		GetLastServiceOperationResponse failed = poll();
		assertThat(failed.getState()).isEqualTo(OperationState.FAILED);
		assertThat(failed.getDescription()).startsWith("gave up after 10 minutes (broker.provision.timeout) changing "
				+ "tls, every node restarting at once: waiting for Marathon to start the Redis tasks");
		// the failed change is marked as one: a retry restarts every node at once again
		assertThat(OperationProgress.restartsTogether(this.broker.operation(ID))).isTrue();
	}

	@Test
	void aChangeOfTlsAskedForIsRefusedOnThePlatformsPortsAndAFailedOneIsCompletedByTheSameRequestAgain() {
		// a broker with a CA; this instance takes the platform's ports
		TestBroker tls = TestBroker.withTls(this.nodes);
		String onDynamicPorts = "2b4d6f8a-1c3e-4a5b-8d7f-9e0a1b2c3d4e";
		provision(tls, onDynamicPorts, 32000);
		int calls = tls.deployer.calls().size();
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(
					() -> tls.instanceService().updateServiceInstance(tlsUpdate(onDynamicPorts, "required")).block())
			.withMessageContaining("BROKER_MARATHON_REDIS_PORTS")
			.withMessageContaining("Nothing was changed");
		assertThat(tls.operation(onDynamicPorts).type()).isEqualTo(Operation.Type.PROVISION);
		assertThat(tls.deployer.calls()).hasSize(calls);

		// with ports of its own: accepted, every node at once
		tls.deployer.redisPorts(new PortRange(33000, 33029));
		String withPorts = "6e8a0c2b-4d6f-4a1b-9c3e-5f7a9b1d3e5f";
		provision(tls, withPorts, 33000);
		tls.instanceService().updateServiceInstance(tlsUpdate(withPorts, "required")).block();
		assertThat(tls.operation(withPorts).description())
			.startsWith("changing tls, every node restarting at once (to required, from disabled; ");
		// Marathon refuses the definitions: the change fails and says it was one
		tls.deployer.refusing(true);
		GetLastServiceOperationResponse failed = tls.lastOperation(withPorts, "update");
		assertThat(failed.getState()).isEqualTo(OperationState.FAILED);
		assertThat(failed.getDescription()).startsWith("changing tls, every node restarting at once: Marathon refused");
		// the same request again: every node app still on the old transport restarts
		tls.deployer.refusing(false);
		tls.instanceService().updateServiceInstance(tlsUpdate(withPorts, "required")).block();
		assertThat(tls.operation(withPorts).description())
			.startsWith("changing tls, every node restarting at once (to required, again after the change failed; ");
		assertThat(tls.lastOperation(withPorts, "update").getDescription())
			.startsWith("changing tls, every node restarting at once: node-0, node-1, node-2 restarting with tls "
					+ "required");
		tls.deployer.healthy(withPorts);
		GetLastServiceOperationResponse done = tls.lastOperation(withPorts, "update");
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription()).startsWith("tls changed to required: every node restarted at once");
	}

	@Test
	void aRollingUpdateRestartsTheNodesWhoseDeliveredCertificateIsDueOncePerUpdate() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TlsDeliveryRecords deliveries = TestKvRecords.tlsDeliveries(this.broker.consul, TestBroker.consulProperties(""),
				TestBroker.OBJECT_MAPPER);
		// certificates valid 10 days, renewed 2 days before (the test CA's 30 days cap
		// them)
		HaCertificateRenewal renewal = new HaCertificateRenewal(deliveries,
				new InstanceCertificates(new InstanceTlsProperties(ca.certificatePem(), ca.privateKeyPem(),
						TlsMode.DISABLED, Duration.ofDays(10), Duration.ofDays(2))));
		// the instance runs tls: required on every node
		startTlsChange("required", "from disabled");
		poll();
		this.broker.deployer.healthy(ID);
		assertThat(poll().getState()).isEqualTo(OperationState.SUCCEEDED);
		InstanceRecord record = this.broker.record(ID);
		Instant now = Instant.now();
		// node-0: delivered 20 days ago; node-1 delivered now; node-2 rendered 20 days
		// ago,
		// not fetched yet
		deliveries.put(new TlsDelivery(ID, "a", now.minus(Duration.ofDays(20)), now.minus(Duration.ofDays(20)), 0));
		deliveries.put(new TlsDelivery(ID, "b", now, now, 1));
		deliveries.put(new TlsDelivery(ID, "c", now.minus(Duration.ofDays(20)), null, 2));
		assertThat(renewal.due(record, null)).containsOnlyKeys(0);
		assertThat(renewal.due(record.withParameters(Map.of()), null)).as("without TLS").isEmpty();
		assertThat(new HaCertificateRenewal(deliveries, new TestCa(null, "", "").certificates()).due(record, null))
			.as("without a CA")
			.isEmpty();
		HaRollingUpdate roll = new HaRollingUpdate(this.broker.deployer, this.broker.discovery, this.broker.catalog,
				this.broker.deployments, this.broker.haSecrets, this.nodes,
				// the update's own clock: a minute into it
				new OperationProgress(new ProvisionProperties(Duration.ofMinutes(10), Duration.ofHours(1)),
						Clock.fixed(now.minus(Duration.ofDays(15)).plusSeconds(60), ZoneOffset.UTC)),
				renewal);
		this.nodes.primary = Optional.of(1);
		// an update that started 15 days ago (as far as the certificates go)
		InstanceRecord renewing = record
			.withOperation(Operation.start(Operation.Type.UPDATE, now.minus(Duration.ofDays(15)), "renewing"));
		int calls = rollCalls().size();
		assertThat(roll.step(renewing, 3).orElseThrow().description())
			.isEqualTo("rolling update: node-0 restarting (2 of 3 updated; " + HaRollingUpdate.ORDER + ")");
		assertThat(rollCalls().subList(calls, rollCalls().size())).containsExactly("redeploy node-0 " + ID + " " + HA);
		this.broker.deployer.healthy(ID, 0);
		// its new certificate, delivered within this update, is due already: not for this
		// update (each renews a node once), for the next
		deliveries.put(new TlsDelivery(ID, "d", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(10)), 0));
		assertThat(roll.step(renewing, 3)).isEmpty();
		assertThat(rollCalls().subList(calls, rollCalls().size())).hasSize(1);
		assertThat(renewal.due(record, null)).containsOnlyKeys(0);
	}

	// a provision asked, and each node's Redis and Sentinel listed by Consul as they
	// start (node-<n> at 10.0.0.<n>)
	private void provisionListed(String instanceId, int port) {
		this.broker.provision(instanceId, HA);
		for (int node = 0; node < 3; node++) {
			this.broker.consul.addPassing(ServiceNames.of(instanceId), "10.0.0." + node, port,
					List.of(ServiceNames.nodeTag(node)));
			this.broker.consul.addPassing(ServiceNames.sentinelOf(instanceId), "10.0.0." + node, port + 1,
					List.of(ServiceNames.nodeTag(node)));
		}
	}

	// the record as an update of tls writes it (the request's checks, which need a CA,
	// are
	// TlsParameterTests' and the end-to-end tests')
	private void startTlsChange(String mode, String since) {
		Versioned<InstanceRecord> current = this.broker.instances.find(ID).orElseThrow();
		Map<String, Object> parameters = new HashMap<>(current.value().parameters());
		parameters.put("tls", mode);
		this.broker.instances.replaceOrConflict(current,
				current.value()
					.withParameters(parameters)
					.withOperation(Operation.start(Operation.Type.UPDATE, this.broker.clock.instant(),
							OperationProgress.tlsChange(mode, since))));
	}

	// an HA instance provisioned on the given broker until it succeeded, its nodes
	// listed from the given port on
	private void provision(TestBroker on, String instanceId, int port) {
		on.provision(instanceId, HA);
		for (int node = 0; node < 3; node++) {
			on.consul.addPassing(ServiceNames.of(instanceId), "10.0.0." + node, port,
					List.of(ServiceNames.nodeTag(node)));
			on.consul.addPassing(ServiceNames.sentinelOf(instanceId), "10.0.0." + node, port + 1,
					List.of(ServiceNames.nodeTag(node)));
		}
		for (int poll = 0; poll < 8 && on.operation(instanceId).inProgress(); poll++) {
			on.lastOperation(instanceId, "provision");
			on.deployer.healthy(instanceId);
		}
		assertThat(on.operation(instanceId).state()).isEqualTo(Operation.State.SUCCEEDED);
		this.nodes.primary = Optional.of(0);
	}

	private static UpdateServiceInstanceRequest tlsUpdate(String instanceId, String mode) {
		return UpdateServiceInstanceRequest.builder()
			.serviceInstanceId(instanceId)
			.serviceDefinitionId(TestBroker.SERVICE_ID)
			.planId(HA)
			.parameters(Map.of("tls", mode))
			.asyncAccepted(true)
			.build();
	}

	private void updateTimeout() {
		this.broker.instanceService()
			.updateServiceInstance(UpdateServiceInstanceRequest.builder()
				.serviceInstanceId(ID)
				.serviceDefinitionId(TestBroker.SERVICE_ID)
				.planId(HA)
				.parameters(Map.of("timeout", 300))
				.asyncAccepted(true)
				.build())
			.block();
	}

	// the calls since the provision
	private List<String> rollCalls() {
		List<String> calls = this.broker.deployer.calls();
		return calls.subList(this.provisionCalls, calls.size());
	}

	private GetLastServiceOperationResponse poll() {
		return this.broker.lastOperation(ID, "update");
	}

	/**
	 * The nodes as their Sentinels and Redis describe them, set by the test: a
	 * switch-over makes the next node the primary at once.
	 */
	private static final class FakeNodes implements RedisHa {

		volatile Optional<Integer> primary = Optional.of(0);

		volatile int inSync = 2;

		volatile int withQuorum = 3;

		volatile int switchOvers;

		@Override
		public void handOver(HaAccess access) {
		}

		@Override
		public List<RedisEndpoint> clearGoneAddresses(HaAccess access) {
			return List.of();
		}

		@Override
		public synchronized void switchOver(HaAccess access, Duration pause) {
			this.switchOvers++;
			this.primary = this.primary.map((node) -> (node + 1) % 3);
		}

		@Override
		public HaState state(HaAccess access, int nodes) {
			Map<Integer, HaRole> roles = new HashMap<>();
			for (int node = 0; node < nodes; node++) {
				roles.put(node, this.primary.equals(Optional.of(node)) ? HaRole.PRIMARY : HaRole.REPLICA);
			}
			return new HaState(this.primary.map((node) -> new RedisEndpoint("10.0.0." + node, 31000)),
					this.primary.isPresent() ? this.inSync : 0, this.withQuorum, nodes, roles);
		}

	}

}
