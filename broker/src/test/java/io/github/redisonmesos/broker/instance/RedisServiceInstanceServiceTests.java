package io.github.redisonmesos.broker.instance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.catalog.CatalogProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.catalog.TestCatalog;
import io.github.redisonmesos.broker.marathon.RedisAppDefinitions;
import io.github.redisonmesos.broker.marathon.TestAppDefinitions;
import io.github.redisonmesos.broker.support.FakeConsul;
import io.github.redisonmesos.broker.support.FakeMarathon;
import io.github.redisonmesos.broker.support.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerAsyncRequiredException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceExistsException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisServiceInstanceServiceTests {

	private static final String SERVICE_ID = RedisCatalog.SERVICE_ID;

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	private static final String ID = "1a2b3c4d-0000-4000-8000-000000000001";

	private static final String APP_ID = "/osb-redis/" + ID;

	private static final String SERVICE = "redis-" + ID;

	private final FakeConsul consul = new FakeConsul();

	private final FakeMarathon marathon = new FakeMarathon();

	private final MutableClock clock = new MutableClock();

	private final RedisAppDefinitions definitions = TestAppDefinitions.create();

	private final InstanceRepository repository = TestInstances.repository(this.consul);

	private final RedisCatalog catalog = TestCatalog.redisCatalog(new CatalogProperties(null));

	private final RedisServiceInstanceService service = new RedisServiceInstanceService(this.repository,
			new InstanceProgress(this.marathon, this.consul, this.definitions,
					new ProvisionProperties(Duration.ofMinutes(10)), this.clock),
			this.marathon, this.definitions, this.catalog, new InstanceProvisioning(this.repository, this.marathon,
					this.definitions, this.catalog, new PasswordGenerator(), this.clock),
			this.clock);

	@Test
	void provisionWritesInstanceRecordBeforeCallingMarathon() {
		this.marathon.onCreate((app) -> assertThat(this.repository.find(ID)).isPresent());
		CreateServiceInstanceResponse response = provision(SMALL);
		assertThat(response.isAsync()).isTrue();
		assertThat(response.getOperation()).isEqualTo("provision");
		assertThat(this.marathon.calls()).containsExactly("POST " + APP_ID);
	}

	@Test
	void provisionSendsPlanResourcesAndPasswordOnlyInEnv() {
		provision(SMALL);
		JsonNode app = this.marathon.definition(APP_ID).orElseThrow();
		String password = this.repository.find(ID).orElseThrow().value().password();
		assertThat(password).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9]+");
		assertThat(app.path("mem").asInt()).isEqualTo(128);
		assertThat(app.path("cpus").asDouble()).isEqualTo(0.1);
		assertThat(app.path("env").path("REDIS_PASSWORD").asText()).isEqualTo(password);
		assertThat(app.path("cmd").asText()).doesNotContain(password).endsWith("--maxmemory 64mb");
		assertThat(app.path("labels").path("consul").asText()).isEqualTo(SERVICE);
	}

	@Test
	void provisionWithoutAcceptsIncompleteIsRefusedWithoutSideEffects() {
		assertThatExceptionOfType(ServiceBrokerAsyncRequiredException.class)
			.isThrownBy(() -> this.service.createServiceInstance(createRequest(SMALL, false)).block());
		assertThat(this.consul.kv()).isEmpty();
		assertThat(this.marathon.calls()).isEmpty();
	}

	@Test
	void repeatedProvisionWhileInProgressAnswersAcceptedWithoutSecondApp() {
		provision(SMALL);
		CreateServiceInstanceResponse again = provision(SMALL);
		assertThat(again.isAsync()).isTrue();
		assertThat(this.marathon.calls()).hasSize(1);
	}

	@Test
	void provisionThatLosesTheCasRaceCreatesNoApp() {
		// another broker writes the same record between our read and our cas=0 write
		this.consul.beforeNextPut(() -> TestInstances.provisioning(this.consul, ID, SMALL, "theirs"));
		CreateServiceInstanceResponse response = provision(SMALL);
		assertThat(response.isAsync()).isTrue();
		assertThat(this.marathon.calls()).isEmpty();
		assertThat(this.repository.find(ID).orElseThrow().value().password()).isEqualTo("theirs");
	}

	@Test
	void concurrentProvisionsForOneIdCreateExactlyOneApp() throws Exception {
		int brokers = 8;
		ExecutorService pool = Executors.newFixedThreadPool(brokers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<CreateServiceInstanceResponse>> responses = new ArrayList<>();
			for (int i = 0; i < brokers; i++) {
				responses.add(pool.submit(() -> {
					start.await();
					return provision(SMALL);
				}));
			}
			start.countDown();
			for (Future<CreateServiceInstanceResponse> response : responses) {
				assertThat(response.get(10, TimeUnit.SECONDS).isAsync()).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.marathon.calls()).containsExactly("POST " + APP_ID);
	}

	@Test
	void provisionWithSameIdAndOtherPlanIsAConflict() {
		provision(SMALL);
		assertThatExceptionOfType(ServiceInstanceExistsException.class).isThrownBy(() -> provision(MEDIUM));
	}

	@Test
	void repeatedProvisionOnceSucceededAnswersInstanceExisted() {
		provision(SMALL);
		succeed();
		CreateServiceInstanceResponse again = provision(SMALL);
		assertThat(again.isAsync()).isFalse();
		assertThat(again.isInstanceExisted()).isTrue();
	}

	@Test
	void lastOperationWaitsForMarathonThenConsulThenSucceeds() {
		provision(SMALL);
		assertThat(lastOperation("provision").getDescription())
			.isEqualTo("waiting for Marathon to start the Redis task");
		this.marathon.healthy(APP_ID);
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.IN_PROGRESS);
		assertThat(lastOperation("provision").getDescription()).contains("Consul");
		this.consul.passing(SERVICE, "10.0.0.7", 31001);
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(this.repository.find(ID).orElseThrow().value().operation().state())
			.isEqualTo(Operation.State.SUCCEEDED);
	}

	@Test
	void lastOperationReportsMarathonTaskFailureInItsOwnWords() {
		provision(SMALL);
		this.clock.advance(Duration.ofSeconds(30));
		this.marathon.taskFailed(APP_ID, "Abnormal executor termination", this.clock.instant());
		GetLastServiceOperationResponse response = lastOperation("provision");
		assertThat(response.getState()).isEqualTo(OperationState.FAILED);
		assertThat(response.getDescription()).isEqualTo("Redis task failed: Abnormal executor termination");
	}

	@Test
	void lastOperationIgnoresTaskFailuresFromBeforeTheOperation() {
		provision(SMALL);
		this.marathon.taskFailed(APP_ID, "old failure", this.clock.instant().minusSeconds(3600));
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.IN_PROGRESS);
	}

	@Test
	void lastOperationFailsOnceTheProvisionTimeoutHasPassed() {
		provision(SMALL);
		this.clock.advance(Duration.ofMinutes(11));
		GetLastServiceOperationResponse response = lastOperation("provision");
		assertThat(response.getState()).isEqualTo(OperationState.FAILED);
		assertThat(response.getDescription()).contains("gave up after 10 minutes");
	}

	@Test
	void provisionWithMarathonUnreachableLeavesAFailedRecordThatARetryRepairs() {
		this.marathon.unreachable(true);
		assertThatExceptionOfType(ServiceBrokerUnavailableException.class).isThrownBy(() -> provision(SMALL));
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.FAILED);
		assertThat(lastOperation("provision").getDescription()).contains("Marathon at http://127.0.0.1:1");
		String password = this.repository.find(ID).orElseThrow().value().password();
		this.marathon.unreachable(false);
		assertThat(provision(SMALL).isAsync()).isTrue();
		assertThat(this.marathon.calls()).containsExactly("POST " + APP_ID);
		assertThat(this.repository.find(ID).orElseThrow().value().password()).isEqualTo(password);
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.IN_PROGRESS);
	}

	@Test
	void provisionWhileMarathonAppStaysLockedLeavesAFailedRecordThatARetryRepairs() {
		this.marathon.locked(true);
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> provision(SMALL));
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.FAILED);
		assertThat(lastOperation("provision").getDescription()).contains("locked by a deployment");
		this.marathon.locked(false);
		assertThat(provision(SMALL).isAsync()).isTrue();
		assertThat(this.marathon.calls()).containsExactly("POST " + APP_ID);
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.IN_PROGRESS);
	}

	@Test
	void getInstanceWhileProvisioningIsNotFoundAndAfterwardsShowsThePlan() {
		provision(SMALL);
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class).isThrownBy(
				() -> this.service.getServiceInstance(GetServiceInstanceRequest.builder().serviceInstanceId(ID).build())
					.block());
		succeed();
		assertThat(this.service.getServiceInstance(GetServiceInstanceRequest.builder().serviceInstanceId(ID).build())
			.block()
			.getPlanId()).isEqualTo(SMALL);
	}

	@Test
	void updateReplacesAppWithNewResourcesAndKeepsTheVolume() {
		provision(SMALL);
		succeed();
		var response = this.service.updateServiceInstance(updateRequest(MEDIUM)).block();
		assertThat(response.isAsync()).isTrue();
		assertThat(response.getOperation()).isEqualTo("update");
		JsonNode app = this.marathon.definition(APP_ID).orElseThrow();
		assertThat(app.path("mem").asInt()).isEqualTo(512);
		assertThat(app.path("cmd").asText()).endsWith("--maxmemory 384mb");
		JsonNode volume = app.path("container").path("volumes").get(0).path("external");
		assertThat(volume.path("name").asText()).isEqualTo("osb-redis-" + ID);
		assertThat(volume.path("size").asInt()).isEqualTo(1);
		assertThat(lastOperation("update").getState()).isEqualTo(OperationState.IN_PROGRESS);
		this.marathon.healthy(APP_ID);
		assertThat(lastOperation("update").getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void updateThatFailedIsSentToMarathonAgainWhenThePlatformRetriesIt() {
		provision(SMALL);
		succeed();
		this.service.updateServiceInstance(updateRequest(MEDIUM)).block();
		this.clock.advance(Duration.ofSeconds(30));
		this.marathon.taskFailed(APP_ID, "OOM killed", this.clock.instant());
		assertThat(lastOperation("update").getState()).isEqualTo(OperationState.FAILED);
		var retry = this.service.updateServiceInstance(updateRequest(MEDIUM)).block();
		assertThat(retry.isAsync()).isTrue();
		assertThat(this.marathon.calls()).filteredOn((call) -> call.startsWith("PUT ")).hasSize(2);
		assertThat(lastOperation("update").getState()).isEqualTo(OperationState.IN_PROGRESS);
	}

	@Test
	void updateWhileMarathonAppIsLockedIsAConcurrencyErrorAndChangesNothing() {
		provision(SMALL);
		succeed();
		this.marathon.locked(true);
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class)
			.isThrownBy(() -> this.service.updateServiceInstance(updateRequest(MEDIUM)).block());
		assertThat(this.repository.find(ID).orElseThrow().value().planId()).isEqualTo(SMALL);
	}

	@Test
	void deprovisionRemovesAppThenRecordsOnceConsulListsNothing() {
		provision(SMALL);
		succeed();
		var response = this.service.deleteServiceInstance(deleteRequest()).block();
		assertThat(response.isAsync()).isTrue();
		assertThat(this.marathon.calls()).contains("DELETE " + APP_ID);
		this.consul.critical(SERVICE, "10.0.0.7", 31001);
		assertThat(lastOperation("deprovision").getState()).isEqualTo(OperationState.IN_PROGRESS);
		this.consul.deregister(SERVICE);
		GetLastServiceOperationResponse done = lastOperation("deprovision");
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.isDeleteOperation()).isTrue();
		assertThat(this.consul.kv()).isEmpty();
		assertThat(lastOperation("deprovision").isDeleteOperation()).isTrue();
	}

	@Test
	void deprovisionOfUnknownInstanceSaysItDoesNotExist() {
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class)
			.isThrownBy(() -> this.service.deleteServiceInstance(deleteRequest()).block());
	}

	private void succeed() {
		this.marathon.healthy(APP_ID);
		this.consul.passing(SERVICE, "10.0.0.7", 31001);
		assertThat(lastOperation("provision").getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	private CreateServiceInstanceResponse provision(String planId) {
		return this.service.createServiceInstance(createRequest(planId, true)).block();
	}

	private GetLastServiceOperationResponse lastOperation(String operation) {
		return this.service
			.getLastOperation(
					GetLastServiceOperationRequest.builder().serviceInstanceId(ID).operation(operation).build())
			.block();
	}

	private static CreateServiceInstanceRequest createRequest(String planId, boolean async) {
		return CreateServiceInstanceRequest.builder()
			.serviceInstanceId(ID)
			.serviceDefinitionId(SERVICE_ID)
			.planId(planId)
			.parameters(Map.of())
			.asyncAccepted(async)
			.build();
	}

	private static UpdateServiceInstanceRequest updateRequest(String planId) {
		return UpdateServiceInstanceRequest.builder()
			.serviceInstanceId(ID)
			.serviceDefinitionId(SERVICE_ID)
			.planId(planId)
			.asyncAccepted(true)
			.build();
	}

	private static DeleteServiceInstanceRequest deleteRequest() {
		return DeleteServiceInstanceRequest.builder()
			.serviceInstanceId(ID)
			.serviceDefinitionId(SERVICE_ID)
			.planId(SMALL)
			.asyncAccepted(true)
			.build();
	}

}
