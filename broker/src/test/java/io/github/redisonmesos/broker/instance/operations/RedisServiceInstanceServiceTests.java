package io.github.redisonmesos.broker.instance.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.OperationProgress;
import io.github.redisonmesos.broker.osb.ResourceNotFoundException;
import io.github.redisonmesos.broker.reconcile.Reconciliation;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.Sealed;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.broker.security.UnreadableSecretException;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerAsyncRequiredException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidParametersException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceExistsException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;

import static io.github.redisonmesos.broker.instance.operations.TestBroker.MEDIUM;
import static io.github.redisonmesos.broker.instance.operations.TestBroker.SERVICE_ID;
import static io.github.redisonmesos.broker.instance.operations.TestBroker.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The instance operations through the broker's ports, without HTTP: record first, then
 * the side effect, and any broker finishing any operation from the record after a crash
 * at any point.
 */
class RedisServiceInstanceServiceTests {

	private static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	private static final String LARGE = "8491af5f-ee6c-4904-9271-29cce7b44e12";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private final TestBroker broker = new TestBroker();

	@Test
	void provisionWritesTheRecordBeforeDeploying() {
		List<Operation> recordAtDeploy = new ArrayList<>();
		this.broker.deployer.beforeNextChange(() -> recordAtDeploy.add(this.broker.operation(ID)));
		CreateServiceInstanceResponse response = provision(ID, SMALL);
		assertThat(response.isAsync()).isTrue();
		assertThat(response.getOperation()).isEqualTo("provision");
		assertThat(recordAtDeploy).singleElement()
			.satisfies((operation) -> assertThat(operation.inProgress(Operation.Type.PROVISION)).isTrue());
		assertThat(this.broker.deployer.deployment(ID)).isPresent();
	}

	@Test
	void provisionKeepsTheAdminPasswordSealedAndDeploysOnlyItsSha256() {
		provision(ID, SMALL);
		String password = this.broker.adminPassword(ID);
		assertThat(password).hasSize(40).matches("[A-Za-z0-9]+");
		RedisDeployment deployment = this.broker.deployer.deployment(ID).orElseThrow();
		assertThat(deployment.adminPasswordSha256()).isEqualTo(Passwords.redisHash(password));
		assertThat(deployment.adminUser()).isEqualTo("osb-admin");
		assertThat(this.broker.consul.values()).allSatisfy((key, value) -> assertThat(value).doesNotContain(password));
		assertThat(this.broker.instances.find(ID).orElseThrow().value().adminPassword().value()).startsWith("v1.");
	}

	@Test
	void provisionWithoutOrganizationOrSpaceIsRefusedAndWritesNothing() {
		assertThatExceptionOfType(ServiceBrokerInvalidParametersException.class)
			.isThrownBy(() -> provision(request(ID, SMALL, null, "space-1", true)))
			.withMessageContaining("organization_guid");
		assertThatExceptionOfType(ServiceBrokerInvalidParametersException.class)
			.isThrownBy(() -> provision(request(ID, SMALL, "org-1", "", true)))
			.withMessageContaining("space_guid");
		assertThat(this.broker.consul.values()).isEmpty();
		assertThat(this.broker.deployer.calls()).isEmpty();
	}

	@Test
	void provisionWithoutAcceptsIncompleteIsRefusedWithoutSideEffects() {
		assertThatExceptionOfType(ServiceBrokerAsyncRequiredException.class)
			.isThrownBy(() -> provision(request(ID, SMALL, "org-1", "space-1", false)));
		assertThat(this.broker.consul.values()).isEmpty();
		assertThat(this.broker.deployer.calls()).isEmpty();
	}

	@Test
	void provisionWithSameIdAndOtherPlanIsAConflict() {
		provision(ID, SMALL);
		assertThatExceptionOfType(ServiceInstanceExistsException.class).isThrownBy(() -> provision(ID, MEDIUM));
	}

	@Test
	void twentyFourConcurrentProvisionsOfOneIdOnTwoBrokersDeployExactlyOneApp() throws Exception {
		TestBroker other = this.broker.sibling();
		ExecutorService pool = Executors.newFixedThreadPool(24);
		try {
			List<Future<CreateServiceInstanceResponse>> answers = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				TestBroker target = (i % 2 == 0) ? this.broker : other;
				answers.add(pool.submit(() -> provision(target, request(ID, SMALL))));
			}
			for (Future<CreateServiceInstanceResponse> answer : answers) {
				assertThat(answer.get(30, TimeUnit.SECONDS).isAsync()).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
		// every request deployed the one definition the winning record describes
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().adminPasswordSha256())
			.isEqualTo(Passwords.redisHash(this.broker.adminPassword(ID)));
	}

	@Test
	void recordWithoutAppAfterACrashIsDeployedByTheResentProvision() {
		crashedAfterRecord(Operation.Type.PROVISION, SMALL);
		assertThat(this.broker.deployer.deployedInstances()).isEmpty();
		assertThat(provision(ID, SMALL).isAsync()).isTrue();
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void recordWithoutAppAfterACrashIsDeployedByTheNextPollOfAnyBroker() {
		crashedAfterRecord(Operation.Type.PROVISION, SMALL);
		GetLastServiceOperationResponse poll = lastOperation(this.broker.sibling(), ID, "provision");
		assertThat(poll.getState()).isEqualTo(OperationState.IN_PROGRESS);
		assertThat(poll.getDescription()).isEqualTo("creating the Redis app");
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void anAppWithoutARecordIsAdoptedByTheProvisionThatWritesOneAndRunsItsAdminPassword() {
		// an app left behind (a create that reached Marathon after its instance was
		// removed)
		this.broker.deployer.running(smallDeployment(ID, Passwords.redisHash("an older admin password")));
		assertThat(provision(ID, SMALL).isAsync()).isTrue();
		assertThat(this.broker.deployer.calls()).containsExactly("deploy " + ID, "redeploy " + ID + " " + SMALL);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().adminPasswordSha256())
			.isEqualTo(Passwords.redisHash(this.broker.adminPassword(ID)));
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void aResentProvisionLeavesTheAppItsFirstAttemptCreated() {
		provision(ID, SMALL);
		provision(ID, SMALL);
		assertThat(this.broker.deployer.calls()).containsExactly("deploy " + ID, "deploy " + ID);
	}

	@Test
	void lastOperationWaitsForMarathonThenConsulThenSucceedsAndTimesTheProvision() {
		provision(ID, SMALL);
		assertThat(lastOperation(ID).getDescription()).isEqualTo("waiting for Marathon to start the Redis task");
		this.broker.deployer.healthy(ID);
		assertThat(lastOperation(ID).getDescription()).isEqualTo("waiting for Consul to list Redis as passing");
		this.broker.clock.advance(Duration.ofSeconds(42));
		this.broker.consul.passing(ServiceNames.of(ID), "10.0.0.7", 31000);
		GetLastServiceOperationResponse done = lastOperation(ID);
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription()).isEqualTo("Redis is running");
		assertThat(this.broker.meters.get("broker.operations")
			.tags("type", "provision", "state", "succeeded")
			.timer()
			.totalTime(TimeUnit.SECONDS)).isEqualTo(42.0);
		// the outcome is kept: later polls answer from the record
		this.broker.deployer.unreachable(true);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void lastOperationReportsATaskFailureInMarathonsWordsButNotOneFromBeforeTheOperation() {
		Instant before = this.broker.clock.instant().minusSeconds(60);
		provision(ID, SMALL);
		this.broker.deployer.taskFailed(ID, "old failure", before);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.IN_PROGRESS);
		this.broker.deployer.taskFailed(ID, "Failed to launch: exit 1", this.broker.clock.instant());
		GetLastServiceOperationResponse failed = lastOperation(ID);
		assertThat(failed.getState()).isEqualTo(OperationState.FAILED);
		assertThat(failed.getDescription()).isEqualTo("Redis task failed: Failed to launch: exit 1");
	}

	@Test
	void lastOperationFailsOnceTheTimeoutHasPassedNamingTheSetting() {
		provision(ID, SMALL);
		this.broker.clock.advance(Duration.ofMinutes(11));
		GetLastServiceOperationResponse failed = lastOperation(ID);
		assertThat(failed.getState()).isEqualTo(OperationState.FAILED);
		assertThat(failed.getDescription()).contains("gave up after 10 minutes", "broker.provision.timeout");
	}

	@Test
	void provisionWhileMarathonIsUnreachableIsAcceptedAndFinishedByThePolls() {
		this.broker.deployer.unreachable(true);
		assertThat(provision(ID, SMALL).isAsync()).isTrue();
		GetLastServiceOperationResponse retrying = lastOperation(ID);
		assertThat(retrying.getState()).isEqualTo(OperationState.IN_PROGRESS);
		assertThat(retrying.getDescription()).contains("retrying", "Marathon", "unreachable");
		this.broker.deployer.unreachable(false);
		lastOperation(ID);
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void provisionWhileTheAppStaysLockedIsAcceptedAndFinishedByThePolls() {
		this.broker.deployer.locked(true);
		assertThat(provision(ID, SMALL).isAsync()).isTrue();
		assertThat(lastOperation(ID).getDescription()).contains("retrying", "locked");
		this.broker.deployer.locked(false);
		lastOperation(ID);
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void provisionThatMarathonRefusesFailsTheRecordAndARetryStartsOver() {
		this.broker.deployer.refusing(true);
		assertThatExceptionOfType(ServiceBrokerException.class).isThrownBy(() -> provision(ID, SMALL))
			.withMessageContaining("retrying will not help");
		assertThat(this.broker.operation(ID).state()).isEqualTo(Operation.State.FAILED);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.FAILED);
		this.broker.deployer.refusing(false);
		String password = this.broker.adminPassword(ID);
		assertThat(provision(ID, SMALL).isAsync()).isTrue();
		assertThat(this.broker.operation(ID).inProgress(Operation.Type.PROVISION)).isTrue();
		// same password and volume: a retry starts the same instance over
		assertThat(this.broker.adminPassword(ID)).isEqualTo(password);
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
	}

	@Test
	void aRefusedProvisionDoesNotOverwriteADeprovisionThatStartedMeanwhile() {
		this.broker.deployer.refusing(true);
		TestBroker other = this.broker.sibling();
		this.broker.deployer.beforeNextChange(() -> other.instanceService().deleteServiceInstance(delete(ID)).block());
		assertThatExceptionOfType(ServiceBrokerException.class).isThrownBy(() -> provision(ID, SMALL));
		assertThat(this.broker.operation(ID).inProgress(Operation.Type.DEPROVISION)).isTrue();
	}

	@Test
	void repeatedProvisionOnceSucceededAnswersInstanceExisted() {
		provision(ID, SMALL);
		becomeHealthy(ID);
		lastOperation(ID);
		CreateServiceInstanceResponse again = provision(ID, SMALL);
		assertThat(again.isInstanceExisted()).isTrue();
		assertThat(again.isAsync()).isFalse();
	}

	@Test
	void getInstanceIsNotFoundWhileProvisioningAndShowsThePlanAfterwards() {
		provision(ID, SMALL);
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class).isThrownBy(() -> get(ID));
		becomeHealthy(ID);
		lastOperation(ID);
		assertThat(get(ID).getPlanId()).isEqualTo(SMALL);
	}

	@Test
	void lastOperationOfAnUnknownInstanceIsNotFound() {
		assertThatExceptionOfType(ResourceNotFoundException.class).isThrownBy(() -> lastOperation(ID))
			.withMessageContaining(ID);
	}

	@Test
	void updateWritesTheNewPlanBeforeRedeployingAndKeepsTheVolume() {
		provisioned(ID);
		List<InstanceRecord> recordAtRedeploy = new ArrayList<>();
		this.broker.deployer
			.beforeNextChange(() -> recordAtRedeploy.add(this.broker.instances.find(ID).orElseThrow().value()));
		UpdateServiceInstanceResponse response = update(ID, MEDIUM);
		assertThat(response.isAsync()).isTrue();
		assertThat(recordAtRedeploy).singleElement().satisfies((record) -> {
			assertThat(record.planId()).isEqualTo(MEDIUM);
			assertThat(record.operation().inProgress(Operation.Type.UPDATE)).isTrue();
		});
		RedisDeployment deployment = this.broker.deployer.deployment(ID).orElseThrow();
		assertThat(deployment.planId()).isEqualTo(MEDIUM);
		assertThat(deployment.memMb()).isEqualTo(512);
		assertThat(deployment.volumeGb()).isEqualTo(1);
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(get(ID).getPlanId()).isEqualTo(MEDIUM);
	}

	@Test
	void recordMidUpdateAfterACrashIsRedeployedByTheNextPoll() {
		provisioned(ID);
		// the crash: the record took the new plan, Marathon never heard of it
		InstanceRecord record = this.broker.instances.find(ID).orElseThrow().value();
		this.broker.instances.replace(this.broker.instances.find(ID).orElseThrow(), record.withPlan(MEDIUM)
			.withOperation(Operation.start(Operation.Type.UPDATE, this.broker.clock.instant(), "changing the plan")));
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().planId()).isEqualTo(SMALL);
		assertThat(lastOperation(this.broker.sibling(), ID, "update").getDescription())
			.isEqualTo(OperationProgress.RESTARTING + ": changing the plan");
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().planId()).isEqualTo(MEDIUM);
		becomeHealthy(ID);
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void twoPlanChangesOnTwoBrokersLeaveMarathonAndTheRecordOnTheWinnersPlan() {
		provisioned(ID);
		TestBroker other = this.broker.sibling();
		// the second broker's whole change lands between this one's read and its write
		this.broker.consul
			.beforeNextPut(() -> other.instanceService().updateServiceInstance(updateRequest(ID, LARGE)).block());
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> update(ID, MEDIUM));
		assertThat(this.broker.instances.find(ID).orElseThrow().value().planId()).isEqualTo(LARGE);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().planId()).isEqualTo(LARGE);
		assertThat(this.broker.deployer.calls()).noneMatch((call) -> call.contains(MEDIUM));
	}

	@Test
	void concurrentPlanChangesOnTwoBrokersAgreeWithMarathon() throws Exception {
		provisioned(ID);
		TestBroker other = this.broker.sibling();
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Callable<Object>> changes = List.of(() -> attempt(() -> update(this.broker, ID, MEDIUM)),
					() -> attempt(() -> update(other, ID, LARGE)));
			for (Future<Object> change : pool.invokeAll(changes)) {
				change.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		String recorded = this.broker.instances.find(ID).orElseThrow().value().planId();
		assertThat(recorded).isIn(MEDIUM, LARGE);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().planId()).isEqualTo(recorded);
	}

	@Test
	void updateThatFailedIsSentToMarathonAgainWhenThePlatformRetriesIt() {
		provisioned(ID);
		update(ID, MEDIUM);
		this.broker.clock.advance(Duration.ofMinutes(11));
		assertThat(lastOperation(ID).getState()).isEqualTo(OperationState.FAILED);
		UpdateServiceInstanceResponse retry = update(ID, MEDIUM);
		assertThat(retry.isAsync()).isTrue();
		assertThat(this.broker.deployer.calls()).filteredOn((call) -> call.startsWith("redeploy")).hasSize(2);
	}

	@Test
	void updateWhileAnotherOperationRunsIsAConcurrencyErrorThatChangesNothing() {
		provision(ID, SMALL);
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> update(ID, MEDIUM));
		assertThat(this.broker.instances.find(ID).orElseThrow().value().planId()).isEqualTo(SMALL);
	}

	@Test
	void deprovisionWritesTheRecordBeforeUndeployingAndEndsInATombstone() {
		provisioned(ID);
		List<Operation> recordAtUndeploy = new ArrayList<>();
		this.broker.deployer.beforeNextChange(() -> recordAtUndeploy.add(this.broker.operation(ID)));
		assertThat(this.broker.instanceService().deleteServiceInstance(delete(ID)).block().getOperation())
			.isEqualTo("deprovision");
		assertThat(recordAtUndeploy).singleElement()
			.satisfies((operation) -> assertThat(operation.inProgress(Operation.Type.DEPROVISION)).isTrue());
		// Consul still lists the task for a moment
		assertThat(lastOperation(ID, "deprovision").getDescription())
			.isEqualTo("waiting for Consul to deregister Redis");
		this.broker.consul.deregister(ServiceNames.of(ID));
		GetLastServiceOperationResponse done = lastOperation(ID, "deprovision");
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		// with the deprovision's token: 200 succeeded; without it: 410 Gone
		assertThat(done.isDeleteOperation()).isFalse();
		assertThat(lastOperation(ID, null).isDeleteOperation()).isTrue();
		assertThat(this.broker.instances.find(ID).orElseThrow().value().removed()).isTrue();
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class).isThrownBy(() -> get(ID));
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class)
			.isThrownBy(() -> this.broker.instanceService().deleteServiceInstance(delete(ID)).block());
	}

	@Test
	void aTombstoneIsForgottenAfterItsTimeAndThenAPollAnswersGone() {
		provisioned(ID);
		this.broker.instanceService().deleteServiceInstance(delete(ID)).block();
		this.broker.consul.deregister(ServiceNames.of(ID));
		lastOperation(ID, "deprovision");
		this.broker.reconcile(false);
		assertThat(this.broker.instances.find(ID)).isPresent();
		this.broker.clock.advance(Duration.ofMinutes(61));
		this.broker.reconcile(false);
		assertThat(this.broker.instances.find(ID)).isEmpty();
		GetLastServiceOperationResponse gone = lastOperation(ID, "deprovision");
		assertThat(gone.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(gone.isDeleteOperation()).isTrue();
	}

	@Test
	void recordMidDeprovisionAfterACrashIsUndeployedByTheNextPoll() {
		provisioned(ID);
		InstanceRecord record = this.broker.instances.find(ID).orElseThrow().value();
		this.broker.instances.replace(this.broker.instances.find(ID).orElseThrow(), record.withOperation(
				Operation.start(Operation.Type.DEPROVISION, this.broker.clock.instant(), "removing the Redis app")));
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
		lastOperation(this.broker.sibling(), ID, "deprovision");
		assertThat(this.broker.deployer.deployedInstances()).isEmpty();
		this.broker.consul.deregister(ServiceNames.of(ID));
		assertThat(lastOperation(ID, "deprovision").getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void deprovisionWhileTheAppIsBeingRemovedDoesNotRemoveItAgain() {
		provisioned(ID);
		this.broker.instanceService().deleteServiceInstance(delete(ID)).block();
		RedisDeployment stillThere = smallDeployment(ID, "x");
		this.broker.deployer.running(stillThere);
		this.broker.deployer.removing(ID);
		lastOperation(ID, "deprovision");
		assertThat(this.broker.deployer.calls()).filteredOn((call) -> call.startsWith("undeploy")).hasSize(1);
	}

	@Test
	void aPlanChangeFromASingleRedisToHaIsRefusedWithAWayForwardAndChangesNothing() {
		provisioned(ID);
		List<String> calls = this.broker.deployer.calls();
		assertThatExceptionOfType(ServiceBrokerInvalidParametersException.class).isThrownBy(() -> update(ID, HA))
			.withMessageContaining("Plan ha is an HA plan and instance " + ID + " a single Redis")
			.withMessageContaining("Create a new instance of plan ha");
		assertThat(this.broker.record(ID).planId()).isEqualTo(SMALL);
		assertThat(this.broker.deployer.calls()).isEqualTo(calls);
	}

	@Test
	void deprovisionDuringAnUpdateIsAConcurrencyError() {
		provisioned(ID);
		update(ID, MEDIUM);
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class)
			.isThrownBy(() -> this.broker.instanceService().deleteServiceInstance(delete(ID)).block())
			.withMessageContaining("being updated");
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
	}

	@Test
	void provisionOverATombstoneStartsAFreshInstance() {
		provisioned(ID);
		this.broker.instanceService().deleteServiceInstance(delete(ID)).block();
		this.broker.consul.deregister(ServiceNames.of(ID));
		lastOperation(ID, "deprovision");
		assertThat(provision(ID, MEDIUM).isAsync()).isTrue();
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().planId()).isEqualTo(MEDIUM);
	}

	@Test
	void provisionOverAnExpiredTombstoneMountsAVolumeOfItsOwnNeverTheOneLeftBehind() {
		provisioned(ID);
		List<String> first = this.broker.deployer.deployment(ID).orElseThrow().volumeNames();
		assertThat(first).singleElement()
			.satisfies((name) -> assertThat(name).matches("osb-redis-" + ID + "-[0-9a-f]{8}"));
		this.broker.instanceService().deleteServiceInstance(delete(ID)).block();
		this.broker.consul.deregister(ServiceNames.of(ID));
		lastOperation(ID, "deprovision");
		this.broker.clock.advance(Duration.ofMinutes(61));
		this.broker.reconcile(false);
		assertThat(this.broker.instances.find(ID)).isEmpty();

		provision(ID, SMALL);

		assertThat(this.broker.deployer.deployment(ID).orElseThrow().volumeNames()).doesNotContainAnyElementsOf(first)
			.singleElement()
			.satisfies((name) -> assertThat(name).startsWith("osb-redis-" + ID + "-"));
	}

	@Test
	void withoutALibStorageUrlTheTombstoneNamesTheVolumesLeftToTheOperator() {
		provisioned(ID);
		List<String> names = this.broker.record(ID).volumeNames();
		this.broker.instanceService().deleteServiceInstance(delete(ID)).block();
		this.broker.consul.deregister(ServiceNames.of(ID));
		lastOperation(ID, "deprovision");

		InstanceRecord tombstone = this.broker.record(ID);
		assertThat(tombstone.volumeState()).isEqualTo(InstanceRecord.VolumeState.LEFT_TO_OPERATOR);
		assertThat(tombstone.volumes().note()).contains("left to the operator").contains(names.get(0));
		this.broker.reconcile(false);
		assertThat(this.broker.meters.get("broker.volumes").tag("state", "left_to_operator").gauge().value())
			.isEqualTo(1);
	}

	@Test
	void anHaInstanceHasOneVolumeOfItsOwnPerNode() {
		provision(ID, HA);
		List<String> names = this.broker.record(ID).volumeNames();
		assertThat(names).hasSize(3);
		assertThat(names.get(0)).matches("osb-redis-" + ID + "-[0-9a-f]{8}-node-0");
		assertThat(names).isEqualTo(this.broker.deployer.deployment(ID).orElseThrow().volumeNames());
	}

	@Test
	void aRecordSealedWithAnotherKeyIsAClearErrorNamingTheVariableAndStaysAsItIs() {
		crashedAfterRecord(Operation.Type.PROVISION, SMALL);
		TestBroker wrongKey = new TestBroker(this.broker.consul, this.broker.deployer, this.broker.clock,
				TestSecrets.box(TestSecrets.OTHER_KEY, ""));
		assertThatExceptionOfType(UnreadableSecretException.class)
			.isThrownBy(() -> lastOperation(wrongKey, ID, "provision"))
			.withMessageContaining("BROKER_SECRETS_KEY")
			.withMessageContaining("BROKER_SECRETS_KEY_PREVIOUS");
		assertThat(this.broker.operation(ID).inProgress(Operation.Type.PROVISION)).isTrue();
	}

	@Test
	void reconciliationReportsOrphansBothWaysAndRemovesOrphanAppsOnlyWhenTold() {
		provisioned(ID);
		String orphanApp = "0a0a0a0a-0000-4000-8000-000000000001";
		this.broker.deployer.running(smallDeployment(orphanApp, "x"));
		String withoutApp = "0a0a0a0a-0000-4000-8000-000000000002";
		provisioned(withoutApp);
		this.broker.deployer.undeploy(withoutApp);
		Reconciliation.Report report = this.broker.reconcile(false);
		assertThat(report.orphanApps()).containsExactly(orphanApp);
		assertThat(report.recordsWithoutApp()).isEqualTo(1);
		assertThat(this.broker.meters.get("broker.orphans").tag("kind", "app").gauge().value()).isEqualTo(1.0);
		assertThat(this.broker.meters.get("broker.orphans").tag("kind", "record").gauge().value()).isEqualTo(1.0);
		assertThat(this.broker.meters.get("broker.instances").tag("state", "ready").gauge().value()).isEqualTo(2.0);
		assertThat(this.broker.deployer.deployedInstances()).contains(orphanApp);
		this.broker.reconcile(true);
		assertThat(this.broker.deployer.deployedInstances()).containsExactly(ID);
	}

	@Test
	void reconciliationSealsAdminPasswordsAgainWithTheCurrentKeyAfterARotation() {
		provisioned(ID);
		String password = this.broker.adminPassword(ID);
		TestBroker rotated = new TestBroker(this.broker.consul, this.broker.deployer, this.broker.clock,
				TestSecrets.box(TestSecrets.OTHER_KEY, TestSecrets.KEY));
		Sealed before = this.broker.instances.find(ID).orElseThrow().value().adminPassword();
		assertThat(rotated.reconcile(false).resealed()).isEqualTo(1);
		assertThat(rotated.reconcile(false).resealed()).isZero();
		TestBroker newKeyOnly = new TestBroker(this.broker.consul, this.broker.deployer, this.broker.clock,
				TestSecrets.box(TestSecrets.OTHER_KEY, ""));
		assertThat(newKeyOnly.adminPassword(ID)).isEqualTo(password);
		assertThat(newKeyOnly.instances.find(ID).orElseThrow().value().adminPassword()).isNotEqualTo(before);
	}

	// helpers

	private void provisioned(String instanceId) {
		provision(instanceId, SMALL);
		becomeHealthy(instanceId);
		assertThat(lastOperation(instanceId).getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	private void becomeHealthy(String instanceId) {
		this.broker.deployer.healthy(instanceId);
		this.broker.consul.passing(ServiceNames.of(instanceId), "10.0.0.7", 31000);
	}

	private void crashedAfterRecord(Operation.Type type, String planId) {
		InstanceRecord record = new InstanceRecord(ID, SERVICE_ID, planId, "org-1", "space-1", Map.of(), 1,
				this.broker.adminPasswords.generate(ID),
				Operation.start(type, this.broker.clock.instant(), "creating the Redis app"), null);
		assertThat(this.broker.instances.create(record)).isTrue();
	}

	private static Object attempt(Runnable change) {
		try {
			change.run();
			return "changed";
		}
		catch (ServiceBrokerConcurrencyException ex) {
			return "lost";
		}
	}

	private CreateServiceInstanceResponse provision(String instanceId, String planId) {
		return this.broker.provision(instanceId, planId);
	}

	private CreateServiceInstanceResponse provision(CreateServiceInstanceRequest request) {
		return provision(this.broker, request);
	}

	private static CreateServiceInstanceResponse provision(TestBroker broker, CreateServiceInstanceRequest request) {
		return broker.instanceService().createServiceInstance(request).block();
	}

	private static CreateServiceInstanceRequest request(String instanceId, String planId) {
		return request(instanceId, planId, "org-1", "space-1", true);
	}

	private static CreateServiceInstanceRequest request(String instanceId, String planId, String organization,
			String space, boolean async) {
		return TestBroker.provisionRequest(instanceId, planId, organization, space, async);
	}

	private GetLastServiceOperationResponse lastOperation(String instanceId) {
		return lastOperation(this.broker, instanceId, null);
	}

	private GetLastServiceOperationResponse lastOperation(String instanceId, String operation) {
		return lastOperation(this.broker, instanceId, operation);
	}

	private static GetLastServiceOperationResponse lastOperation(TestBroker broker, String instanceId,
			String operation) {
		return broker.lastOperation(instanceId, operation);
	}

	private org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse get(String instanceId) {
		return this.broker.instanceService()
			.getServiceInstance(GetServiceInstanceRequest.builder().serviceInstanceId(instanceId).build())
			.block();
	}

	private UpdateServiceInstanceResponse update(String instanceId, String planId) {
		return update(this.broker, instanceId, planId);
	}

	private static UpdateServiceInstanceResponse update(TestBroker broker, String instanceId, String planId) {
		return broker.update(instanceId, planId);
	}

	private static UpdateServiceInstanceRequest updateRequest(String instanceId, String planId) {
		return UpdateServiceInstanceRequest.builder()
			.serviceInstanceId(instanceId)
			.serviceDefinitionId(SERVICE_ID)
			.planId(planId)
			.asyncAccepted(true)
			.build();
	}

	private static DeleteServiceInstanceRequest delete(String instanceId) {
		return DeleteServiceInstanceRequest.builder()
			.serviceInstanceId(instanceId)
			.serviceDefinitionId(SERVICE_ID)
			.planId(SMALL)
			.asyncAccepted(true)
			.build();
	}

	// an app of the small plan deployed earlier, as the broker would have
	private static RedisDeployment smallDeployment(String instanceId, String adminPasswordSha256) {
		return RedisDeployment.builder(instanceId, SERVICE_ID, SMALL)
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", adminPasswordSha256)
			.build();
	}

}
