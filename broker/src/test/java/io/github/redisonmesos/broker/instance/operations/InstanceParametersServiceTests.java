package io.github.redisonmesos.broker.instance.operations;

import java.util.List;
import java.util.Map;

import io.github.redisonmesos.broker.catalog.TestCatalog;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.OperationProgress;
import io.github.redisonmesos.broker.osb.BadRequestException;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceExistsException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
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
 * The instance parameters (Redis settings) through the instance service, over the
 * in-process Consul and Marathon: what reaches the deployment and the record, what an
 * update changes, and what is refused before anything changes.
 */
class InstanceParametersServiceTests {

	private static final String ID = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

	private final TestBroker broker = new TestBroker();

	@Test
	void aProvisionDeploysTheParametersAndGetAnswersThemWithTheDefaultsOfTheOthers() {
		provision(Map.of("maxmemory-policy", "allkeys-lru", "notify-keyspace-events", "Egx"));
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings())
			.isEqualTo(new RedisSettings("allkeys-lru", "Egx", "everysec", 0, TestCatalog.VERSION));
		assertThat(this.broker.record(ID).parameters())
			.isEqualTo(Map.of("maxmemory-policy", "allkeys-lru", "notify-keyspace-events", "Egx"));
		becomeHealthy();
		assertThat(this.broker.lastOperation(ID, null).getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(get()).isEqualTo(Map.of("maxmemory-policy", "allkeys-lru", "notify-keyspace-events", "Egx",
				"appendfsync", "everysec", "timeout", 0, "tls", "disabled"));
	}

	@Test
	void aProvisionAgainWithOtherParametersIsAConflict() {
		provision(Map.of("timeout", 60));
		assertThatExceptionOfType(ServiceInstanceExistsException.class)
			.isThrownBy(() -> provision(Map.of("timeout", 61)));
	}

	@Test
	void anUpdateChangesTheSettingsItNamesKeepsTheOthersAndSaysRedisRestarts() {
		provision(Map.of("maxmemory-policy", "allkeys-lru"));
		becomeHealthy();
		this.broker.lastOperation(ID, null);
		UpdateServiceInstanceResponse accepted = update(null, Map.of("appendfsync", "always"));
		assertThat(accepted.isAsync()).isTrue();
		assertThat(this.broker.deployer.calls()).contains("redeploy " + ID + " " + SMALL);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings())
			.isEqualTo(new RedisSettings("allkeys-lru", "", "always", 0, TestCatalog.VERSION));
		assertThat(this.broker.lastOperation(ID, "update").getDescription()).startsWith(OperationProgress.RESTARTING);
		becomeHealthy();
		assertThat(this.broker.lastOperation(ID, "update").getDescription())
			.isEqualTo("Redis is running, restarted with the instance's plan and settings; the data stayed on the "
					+ "volume");
		assertThat(get()).containsEntry("maxmemory-policy", "allkeys-lru").containsEntry("appendfsync", "always");
	}

	@Test
	void aSettingsChangeMarathonMissedIsSentAgainByTheNextPoll() {
		provision(Map.of());
		becomeHealthy();
		this.broker.lastOperation(ID, null);
		this.broker.deployer.unreachable(true);
		// accepted: the record has the new settings, Marathon is left to the polls
		assertThat(update(null, Map.of("timeout", 60)).isAsync()).isTrue();
		this.broker.deployer.unreachable(false);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings().timeout()).isZero();
		assertThat(this.broker.lastOperation(ID, "update").getDescription()).endsWith("changing the settings");
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings().timeout()).isEqualTo(60);
		becomeHealthy();
		assertThat(this.broker.lastOperation(ID, "update").getState()).isEqualTo(OperationState.SUCCEEDED);
	}

	@Test
	void anUpdateToTheSettingsTheInstanceHasChangesNothing() {
		provision(Map.of());
		becomeHealthy();
		this.broker.lastOperation(ID, null);
		List<String> calls = this.broker.deployer.calls();
		// Redis's defaults, named: nothing to restart for
		UpdateServiceInstanceResponse answer = update(null, Map.of("appendfsync", "everysec", "timeout", 0));
		assertThat(answer.isAsync()).isFalse();
		assertThat(this.broker.deployer.calls()).isEqualTo(calls);
	}

	@Test
	void aBadParameterInAnUpdateIsRefusedBeforeTheRecordIsRead() {
		provision(Map.of());
		becomeHealthy();
		this.broker.lastOperation(ID, null);
		Map<String, String> before = this.broker.consul.values();
		List<String> calls = this.broker.deployer.calls();
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> update(MEDIUM, Map.of("appendfsync", "no")))
			.withMessageContaining("'appendfsync'");
		assertThat(this.broker.consul.values()).isEqualTo(before);
		assertThat(this.broker.deployer.calls()).isEqualTo(calls);
	}

	@Test
	void aDownsizeWhileRedisIsMovingCannotBeCheckedAndChangesNothing() {
		CreateServiceInstanceRequest request = TestBroker.provisionRequest(ID, MEDIUM, "org-1", "space-1", true);
		this.broker.instanceService().createServiceInstance(request).block();
		becomeHealthy();
		this.broker.lastOperation(ID, null);
		this.broker.consul.deregister(ServiceNames.of(ID));
		Map<String, String> before = this.broker.consul.values();
		List<String> calls = this.broker.deployer.calls();
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> update(SMALL, null))
			.withMessageContaining("moving");
		assertThat(this.broker.consul.values()).isEqualTo(before);
		assertThat(this.broker.deployer.calls()).isEqualTo(calls);
	}

	private void provision(Map<String, Object> parameters) {
		CreateServiceInstanceRequest request = TestBroker.provisionRequest(ID, SMALL, "org-1", "space-1", true);
		request.getParameters().putAll(parameters);
		this.broker.instanceService().createServiceInstance(request).block();
	}

	private UpdateServiceInstanceResponse update(String planId, Map<String, Object> parameters) {
		UpdateServiceInstanceRequest.UpdateServiceInstanceRequestBuilder request = UpdateServiceInstanceRequest
			.builder()
			.serviceInstanceId(ID)
			.serviceDefinitionId(SERVICE_ID)
			.planId(planId)
			.asyncAccepted(true);
		if (parameters != null) {
			request.parameters(parameters);
		}
		return this.broker.instanceService().updateServiceInstance(request.build()).block();
	}

	private Map<String, Object> get() {
		return this.broker.instanceService()
			.getServiceInstance(GetServiceInstanceRequest.builder().serviceInstanceId(ID).build())
			.block()
			.getParameters();
	}

	private void becomeHealthy() {
		this.broker.deployer.healthy(ID);
		this.broker.consul.passing(ServiceNames.of(ID), "10.0.0.7", 31000);
	}

}
