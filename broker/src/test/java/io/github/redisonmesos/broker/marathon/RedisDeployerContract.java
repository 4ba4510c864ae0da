package io.github.redisonmesos.broker.marathon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.security.Passwords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link RedisDeployer} does, the fake the service tests use as much as the
 * Marathon adapter on the local platform: deploy once, redeploy to another plan, remove,
 * and report what it runs. What the platform does in its own time (a task starting, an
 * app going away) is waited for with a bound.
 */
abstract class RedisDeployerContract {

	static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	private final List<String> deployed = new ArrayList<>();

	protected abstract RedisDeployer deployer();

	/**
	 * Wait until the platform has started the instance's Redis and its task is healthy.
	 * @param instanceId the instance id
	 */
	protected abstract void awaitRunning(String instanceId);

	@AfterEach
	void removeWhatTheTestDeployed() {
		this.deployed.forEach((instanceId) -> {
			deployer().undeploy(instanceId);
			deployer().undeploy(instanceId, 3);
		});
	}

	@Test
	void anInstanceNeverDeployedHasNoStatusAndIsNotListed() {
		String instanceId = newInstanceId();
		assertThat(deployer().status(instanceId)).isEmpty();
		assertThat(deployer().deployedInstances()).doesNotContain(instanceId);
	}

	@Test
	void deployDeploysOnceAndReportsThePlan() {
		String instanceId = newInstanceId();
		assertThat(deployer().deploy(deployment(instanceId, SMALL))).isTrue();
		assertThat(deployer().deploy(deployment(instanceId, SMALL))).isFalse();
		assertThat(deployer().status(instanceId))
			.hasValueSatisfying((status) -> assertThat(status.planId()).isEqualTo(SMALL));
		assertThat(deployer().deployedInstances()).contains(instanceId);
	}

	@Test
	void aRunningDeploymentHasAHealthyTaskAndNothingInFlight() {
		String instanceId = newInstanceId();
		deployer().deploy(deployment(instanceId, SMALL));
		awaitRunning(instanceId);
		DeploymentStatus status = deployer().status(instanceId).orElseThrow();
		assertThat(status.deploying()).isFalse();
		assertThat(status.tasksHealthy()).isEqualTo(1);
		assertThat(status.lastTaskFailure()).isNull();
	}

	@Test
	void redeployBringsTheInstanceToAnotherPlan() {
		String instanceId = newInstanceId();
		deployer().deploy(deployment(instanceId, SMALL));
		awaitRunning(instanceId);
		deployer().redeploy(deployment(instanceId, MEDIUM));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> deployer().status(instanceId).map(DeploymentStatus::planId).orElse(""), MEDIUM::equals);
	}

	@Test
	void statusSaysWhichSettingsTheDeployedDefinitionHas() {
		String instanceId = newInstanceId();
		RedisDeployment plain = deployment(instanceId, SMALL);
		deployer().deploy(plain);
		assertThat(deployer().status(instanceId))
			.hasValueSatisfying((status) -> assertThat(status.settings()).isEqualTo(RedisSettings.DEFAULTS.label()));
		RedisSettings cache = new RedisSettings("allkeys-lru", "Egx", "everysec", 60);
		deployer().redeploy(plain.toBuilder().settings(cache).build());
		assertThat(deployer().status(instanceId))
			.hasValueSatisfying((status) -> assertThat(status.settings()).isEqualTo(cache.label()));
	}

	@Test
	void redeployOfAnInstanceNeverDeployedDeploysIt() {
		String instanceId = newInstanceId();
		deployer().redeploy(deployment(instanceId, MEDIUM));
		assertThat(deployer().status(instanceId))
			.hasValueSatisfying((status) -> assertThat(status.planId()).isEqualTo(MEDIUM));
	}

	@Test
	void undeployRemovesTheInstanceAndAgainIsNoError() {
		String instanceId = newInstanceId();
		deployer().deploy(deployment(instanceId, SMALL));
		awaitRunning(instanceId);
		deployer().undeploy(instanceId);
		await().atMost(Duration.ofSeconds(60)).until(() -> deployer().status(instanceId).isEmpty());
		assertThat(deployer().deployedInstances()).doesNotContain(instanceId);
		deployer().undeploy(instanceId);
	}

	@Test
	void anHaInstanceIsAnAppPerNodeTheFirstAloneUntilASentinelIsListedAndGoesWhole() {
		String instanceId = newInstanceId();
		assertThat(deployer().deploy(ha(instanceId, List.of()))).isTrue();
		assertThat(deployer().status(instanceId, 3)).hasValueSatisfying((status) -> {
			assertThat(status.apps()).isEqualTo(1);
			assertThat(status.planId()).isEqualTo(SMALL);
		});
		// node-0's Sentinel listed (here an address nothing answers on: only the apps
		// count)
		List<HaNode> listed = List
			.of(new HaNode(0, new RedisEndpoint("127.0.0.1", 1), new RedisEndpoint("127.0.0.1", 2)));
		assertThat(deployer().deploy(ha(instanceId, listed))).isTrue();
		assertThat(deployer().status(instanceId, 3))
			.hasValueSatisfying((status) -> assertThat(status.apps()).isEqualTo(3));
		assertThat(deployer().deploy(ha(instanceId, listed))).isFalse();
		assertThat(deployer().deployedInstances()).contains(instanceId);
		deployer().undeploy(instanceId, 3);
		await().atMost(Duration.ofSeconds(60)).until(() -> deployer().status(instanceId, 3).isEmpty());
		assertThat(deployer().deployedInstances()).doesNotContain(instanceId);
	}

	@Test
	void redeployNodeBringsOneNodeToAnotherPlanAndLeavesTheOthersAsTheyAre() {
		String instanceId = newInstanceId();
		// node-0 alone (no Sentinel listed yet): it bootstraps as the primary
		deployer().deploy(ha(instanceId, SMALL, List.of()));
		assertThat(deployer().nodeStatuses(instanceId, 3).get(0))
			.hasValueSatisfying((node) -> assertThat(node.planId()).isEqualTo(SMALL));
		// Marathon takes a change once the first deployment is over
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptionsInstanceOf(ServiceBrokerConcurrencyException.class)
			.until(() -> {
				deployer().redeployNode(ha(instanceId, MEDIUM, List.of()), 0);
				return true;
			});
		await().atMost(Duration.ofSeconds(60))
			.until(() -> deployer().nodeStatuses(instanceId, 3).get(0).map(DeploymentStatus::planId).orElse(""),
					MEDIUM::equals);
		List<Optional<DeploymentStatus>> nodes = deployer().nodeStatuses(instanceId, 3);
		assertThat(nodes).hasSize(3);
		assertThat(nodes.get(0)).hasValueSatisfying((node) -> {
			assertThat(node.apps()).isEqualTo(1);
			assertThat(node.settings()).isEqualTo(RedisSettings.DEFAULTS.label());
		});
		// only that node's app: the others are not deployed by it
		assertThat(nodes.subList(1, 3)).allSatisfy((node) -> assertThat(node).isEmpty());
		assertThat(deployer().nodeStatuses(newInstanceId(), 3)).hasSize(3)
			.allSatisfy((node) -> assertThat(node).isEmpty());
	}

	@Test
	void deployNodeDeploysAMissingNodeOnceOffTheAgentsItIsToldToAvoidAndSaysWhereItRuns() {
		String instanceId = newInstanceId();
		deployer().deploy(ha(instanceId, List.of()));
		String first = await().atMost(Duration.ofSeconds(60))
			.until(() -> deployer().nodePlacements(instanceId, 3).get(0),
					(node) -> node.isPresent() && node.get().placed())
			.orElseThrow()
			.hosts()
			.get(0);
		RedisDeployment second = withAvoided(ha(instanceId, List.of()), 1, Set.of(first));
		assertThat(deployer().deployNode(second, 1)).isTrue();
		assertThat(deployer().deployNode(second, 1)).isFalse();
		NodePlacement placed = await().atMost(Duration.ofSeconds(60))
			.until(() -> deployer().nodePlacements(instanceId, 3).get(1),
					(node) -> node.isPresent() && node.get().placed())
			.orElseThrow();
		assertThat(placed.avoidedHosts()).containsExactly(first);
		assertThat(placed.hosts()).doesNotContain(first);
		assertThat(deployer().nodePlacements(instanceId, 3).get(0))
			.hasValueSatisfying((node) -> assertThat(node.avoidedHosts()).isEmpty());
		assertThat(deployer().nodePlacements(instanceId, 3).get(2)).isEmpty();
	}

	private static RedisDeployment withAvoided(RedisDeployment deployment, int node, Set<String> hosts) {
		HaDeployment ha = deployment.requireHa();
		List<HaDeployment.NodeSpec> nodes = new ArrayList<>(ha.nodes());
		nodes.set(node, new HaDeployment.NodeSpec(0, 0, List.of(), hosts));
		return deployment.toBuilder()
			.ha(new HaDeployment(ha.masterName(), ha.quorum(), ha.downAfter(), ha.failoverTimeout(),
					ha.replicationUser(), ha.replicationPasswordSha256(), ha.sentinelUser(),
					ha.sentinelPasswordSha256(), nodes, ha.listed()))
			.build();
	}

	@Test
	void undeployOfAnInstanceNeverDeployedIsNoError() {
		deployer().undeploy(newInstanceId());
		deployer().undeployAll(newInstanceId());
	}

	@Test
	void undeployAllRemovesEveryNodeOfAnInstanceAndNothingElse() {
		String instanceId = newInstanceId();
		String other = newInstanceId();
		deployer().deploy(deployment(other, SMALL));
		List<HaNode> listed = List
			.of(new HaNode(0, new RedisEndpoint("127.0.0.1", 1), new RedisEndpoint("127.0.0.1", 2)));
		deployer().deploy(ha(instanceId, listed));
		assertThat(deployer().status(instanceId, 3))
			.hasValueSatisfying((status) -> assertThat(status.apps()).isEqualTo(3));
		deployer().undeployAll(instanceId);
		await().atMost(Duration.ofSeconds(60)).until(() -> deployer().status(instanceId, 3).isEmpty());
		assertThat(deployer().deployedInstances()).doesNotContain(instanceId).contains(other);
	}

	private String newInstanceId() {
		String instanceId = UUID.randomUUID().toString();
		this.deployed.add(instanceId);
		return instanceId;
	}

	// any port the platform gives, so that nothing here must be free in advance
	private static RedisDeployment ha(String instanceId, List<HaNode> listed) {
		return ha(instanceId, SMALL, listed);
	}

	private static RedisDeployment ha(String instanceId, String planId, List<HaNode> listed) {
		String hash = Passwords.redisHash("contract-password");
		HaDeployment ha = new HaDeployment("osb-" + instanceId, 2, Duration.ofSeconds(5), Duration.ofSeconds(10),
				"osb-replication", hash, "osb-sentinel", hash,
				Collections.nCopies(3, new HaDeployment.NodeSpec(0, 0, List.of())), listed);
		return RedisDeployment.builder(instanceId, SERVICE_ID, planId)
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", hash)
			.ha(ha)
			.build();
	}

	private static RedisDeployment deployment(String instanceId, String planId) {
		boolean small = SMALL.equals(planId);
		return RedisDeployment.builder(instanceId, SERVICE_ID, planId)
			.resources(small ? 128 : 256, 0.1, small ? "64mb" : "128mb", 1)
			.admin("osb-admin", Passwords.redisHash("contract-admin-password"))
			.build();
	}

}
