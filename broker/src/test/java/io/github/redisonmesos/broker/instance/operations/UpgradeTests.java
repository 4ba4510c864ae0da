package io.github.redisonmesos.broker.instance.operations;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.broker.catalog.TestCatalog;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerMaintenanceInfoConflictException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code maintenance_info} through the broker's ports, with the request bodies Cloud
 * Controller sends (OSB 2.15+): {@code cf upgrade-service} sends the plan's new version,
 * a plan change the new plan's, a parameters-only update none; a version other than the
 * plan's answers 422 {@code MaintenanceInfoConflict} and changes nothing.
 */
class UpgradeTests {

	private static final String ID = "3e5a7c9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d";

	private static final String SMALL = TestBroker.SMALL;

	private static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final TestBroker broker = new TestBroker();

	@Test
	void theVersionIsRecordedOnceTheProvisionHasSucceededAndGetShowsIt() {
		this.broker.instanceService().createServiceInstance(provisionRequest("1.0.0")).block();
		assertThat(record().maintenanceVersion()).isNull();
		becomeHealthy(this.broker);
		assertThat(this.broker.lastOperation(ID, "provision").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(record().maintenanceVersion()).isEqualTo("1.0.0");
		assertThat(JSON.valueToTree(get(this.broker)).path("maintenance_info").path("version").asText())
			.isEqualTo("1.0.0");
		assertThat(JSON.valueToTree(get(this.broker)).path("maintenance_info").path("description").asText())
			.startsWith("Redis image redis@sha256:");
	}

	@Test
	void aProvisionWithAnotherVersionThanThePlansIsAConflictThatCreatesNothing() {
		assertThatExceptionOfType(ServiceBrokerMaintenanceInfoConflictException.class)
			.isThrownBy(() -> this.broker.instanceService().createServiceInstance(provisionRequest("0.9.0")).block())
			.withMessageContaining("'0.9.0'")
			.withMessageContaining("plan small's 1.0.0")
			.withMessageContaining("GET /v2/catalog");
		assertThat(this.broker.instances.find(ID)).isEmpty();
		assertThat(this.broker.deployer.calls()).isEmpty();
	}

	@Test
	void anUpdateWithTheInstancesOwnVersionChangesNothing() {
		provisioned();
		List<String> before = this.broker.deployer.calls();
		UpdateServiceInstanceResponse response = update(this.broker, upgradeBody("1.0.0", "1.0.0"));
		assertThat(response.isAsync()).isFalse();
		assertThat(this.broker.deployer.calls()).isEqualTo(before);
	}

	@Test
	void anUpdateWithAVersionOtherThanThePlansIsAConflictThatChangesNothing() {
		provisioned();
		TestBroker upgraded = this.broker.restartedWithVersion("1.1.0");
		List<String> before = this.broker.deployer.calls();
		InstanceRecord recorded = record();
		for (String version : List.of("1.0.0", "1.2.0", "1.1.0+other", "not-a-version")) {
			assertThatExceptionOfType(ServiceBrokerMaintenanceInfoConflictException.class).as(version)
				.isThrownBy(() -> update(upgraded, upgradeBody("1.0.0", version)))
				.withMessageContaining("plan small's 1.1.0")
				.withMessageContaining("Nothing was changed");
		}
		// the same with new parameters: the version is checked before anything
		assertThatExceptionOfType(ServiceBrokerMaintenanceInfoConflictException.class)
			.isThrownBy(() -> update(upgraded, "{\"service_id\":\"" + TestBroker.SERVICE_ID + "\",\"plan_id\":\""
					+ SMALL + "\",\"parameters\":{\"timeout\":60},\"maintenance_info\":{\"version\":\"1.0.0\"}}"));
		assertThat(this.broker.deployer.calls()).isEqualTo(before);
		assertThat(record()).isEqualTo(recorded);
	}

	@Test
	void anUpgradeRestartsASingleRedisOnceSayingSoAndRecordsTheVersionOnlyWhenItRuns() {
		provisioned();
		RedisDeployment before = this.broker.deployer.deployment(ID).orElseThrow();
		TestBroker upgraded = this.broker.restartedWithVersion("1.1.0");
		int calls = this.broker.deployer.calls().size();
		UpdateServiceInstanceResponse response = update(upgraded, upgradeBody("1.0.0", "1.1.0"));
		assertThat(response.isAsync()).isTrue();
		assertThat(this.broker.deployer.calls().subList(calls, this.broker.deployer.calls().size()))
			.containsExactly("redeploy " + ID + " " + SMALL);
		RedisDeployment after = this.broker.deployer.deployment(ID).orElseThrow();
		assertThat(after.settings().label()).endsWith(";maintenance-version=1.1.0");
		assertThat(after.port()).isEqualTo(before.port());
		assertThat(after.volumeNames()).isEqualTo(before.volumeNames());
		assertThat(after.adminPasswordSha256()).isEqualTo(before.adminPasswordSha256());
		// the same upgrade sent again while it runs: the running update, nothing
		// restarted twice
		UpdateServiceInstanceResponse again = update(upgraded, upgradeBody("1.0.0", "1.1.0"));
		assertThat(again.isAsync()).isTrue();
		assertThat(again.getOperation()).isEqualTo("update");
		assertThat(this.broker.deployer.calls()).hasSize(calls + 1);
		GetLastServiceOperationResponse running = upgraded.lastOperation(ID, "update");
		assertThat(running.getState()).isEqualTo(OperationState.IN_PROGRESS);
		assertThat(running.getDescription()).startsWith("upgrading to 1.1.0: ");
		assertThat(record().maintenanceVersion()).isEqualTo("1.0.0");
		becomeHealthy(upgraded);
		GetLastServiceOperationResponse done = upgraded.lastOperation(ID, "update");
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription()).startsWith("upgraded to 1.1.0: Redis is running");
		assertThat(record().maintenanceVersion()).isEqualTo("1.1.0");
		assertThat(this.broker.deployer.calls()).hasSize(calls + 1);
		// Cloud Controller's next upgrade-service finds nothing to do
		assertThat(update(upgraded, upgradeBody("1.1.0", "1.1.0")).isAsync()).isFalse();
		assertThat(JSON.valueToTree(get(upgraded)).path("maintenance_info").path("version").asText())
			.isEqualTo("1.1.0");
	}

	@Test
	void anInstanceOnANewerVersionThanTheCatalogsIsNeverTakenBack() {
		provisioned();
		TestBroker rolledBack = this.broker.restartedWithVersion("0.9.0");
		List<String> before = this.broker.deployer.calls();
		assertThatExceptionOfType(ServiceBrokerMaintenanceInfoConflictException.class)
			.isThrownBy(() -> update(rolledBack, upgradeBody("1.0.0", "0.9.0")))
			.withMessageContaining("runs maintenance version 1.0.0, newer than 0.9.0")
			.withMessageContaining("never goes to an older version");
		assertThat(this.broker.deployer.calls()).isEqualTo(before);
		assertThat(record().maintenanceVersion()).isEqualTo("1.0.0");
	}

	@Test
	void aRecordWrittenBeforeVersionsCountsAsOlderThanAnyVersionAndIsUpgraded() throws Exception {
		provisioned();
		// the record as a broker before maintenance versions wrote it: no such field
		String key = "osb-redis/instances/" + ID;
		ObjectNode old = (ObjectNode) JSON.readTree(this.broker.consul.values().get(key));
		old.remove("maintenanceVersion");
		this.broker.consul.write(key, old.toString());
		assertThat(record().maintenanceVersion()).isNull();
		assertThat(JSON.valueToTree(get(this.broker)).has("maintenance_info")).isFalse();
		assertThat(update(this.broker, upgradeBody(null, "1.0.0")).isAsync()).isTrue();
		becomeHealthy(this.broker);
		assertThat(this.broker.lastOperation(ID, "update").getDescription()).startsWith("upgraded to 1.0.0");
		assertThat(record().maintenanceVersion()).isEqualTo("1.0.0");
	}

	@Test
	void aPlanChangeCarriesTheNewPlansVersionAndAParametersOnlyUpdateNoneBothRecordTheTemplatesTheyDeploy() {
		provisioned();
		TestBroker upgraded = this.broker.restartedWithVersion("1.1.0");
		// a parameters-only update of an instance behind deploys the broker's templates
		// (the only ones it has): it records their version too
		update(upgraded,
				"{\"service_id\":\"" + TestBroker.SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"parameters\":{\"timeout\":60},\"previous_values\":{\"plan_id\":\"" + SMALL
						+ "\",\"maintenance_info\":{\"version\":\"1.0.0\"}}}");
		assertThat(upgraded.lastOperation(ID, "update").getDescription()).startsWith("upgrading to 1.1.0: ");
		becomeHealthy(upgraded);
		assertThat(upgraded.lastOperation(ID, "update").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(record().maintenanceVersion()).isEqualTo("1.1.0");
		TestBroker next = upgraded.restartedWithVersion("1.2.0");
		update(next,
				"{\"service_id\":\"" + TestBroker.SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM
						+ "\",\"maintenance_info\":{\"version\":\"1.2.0\"},\"previous_values\":{\"plan_id\":\"" + SMALL
						+ "\",\"maintenance_info\":{\"version\":\"1.1.0\"}}}");
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().settings().label())
			.endsWith(";maintenance-version=1.2.0");
		becomeHealthy(next);
		assertThat(next.lastOperation(ID, "update").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(record().planId()).isEqualTo(MEDIUM);
		assertThat(record().maintenanceVersion()).isEqualTo("1.2.0");
	}

	@Test
	void aFailedUpgradeKeepsTheOldVersionAndTheRetryGoesOn() {
		provisioned();
		TestBroker upgraded = this.broker.restartedWithVersion("1.1.0");
		this.broker.deployer.refusing(true);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> update(upgraded, upgradeBody("1.0.0", "1.1.0")));
		assertThat(record().operation().failed(Operation.Type.UPDATE)).isTrue();
		assertThat(record().maintenanceVersion()).isEqualTo("1.0.0");
		this.broker.deployer.refusing(false);
		assertThat(update(upgraded, upgradeBody("1.0.0", "1.1.0")).isAsync()).isTrue();
		becomeHealthy(upgraded);
		assertThat(upgraded.lastOperation(ID, "update").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(record().maintenanceVersion()).isEqualTo("1.1.0");
	}

	// helpers

	private void provisioned() {
		this.broker.provision(ID, SMALL);
		becomeHealthy(this.broker);
		assertThat(this.broker.lastOperation(ID, "provision").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(record().maintenanceVersion()).isEqualTo(TestCatalog.VERSION);
	}

	private void becomeHealthy(TestBroker broker) {
		broker.deployer.healthy(ID);
		broker.consul.passing(ServiceNames.of(ID), "10.0.0.7", 31000);
	}

	private InstanceRecord record() {
		return this.broker.instances.find(ID).orElseThrow().value();
	}

	private static GetServiceInstanceResponse get(TestBroker broker) {
		return broker.instanceService()
			.getServiceInstance(GetServiceInstanceRequest.builder().serviceInstanceId(ID).build())
			.block();
	}

	// cf upgrade-service: the plan stays, the catalog's version, the instance's before
	private static String upgradeBody(String previous, String version) {
		return "{\"service_id\":\"" + TestBroker.SERVICE_ID + "\",\"plan_id\":\"" + SMALL
				+ "\",\"context\":{\"platform\":\"cloudfoundry\",\"organization_guid\":\"org-1\",\"space_guid\":"
				+ "\"space-1\"},\"previous_values\":{\"plan_id\":\"" + SMALL + "\",\"service_id\":\""
				+ TestBroker.SERVICE_ID + "\",\"organization_id\":\"org-1\",\"space_id\":\"space-1\""
				+ ((previous != null) ? ",\"maintenance_info\":{\"version\":\"" + previous + "\"}" : "")
				+ "},\"maintenance_info\":{\"version\":\"" + version + "\"}}";
	}

	private static UpdateServiceInstanceResponse update(TestBroker broker, String body) {
		try {
			UpdateServiceInstanceRequest request = JSON.readValue(body, UpdateServiceInstanceRequest.class);
			request.setServiceInstanceId(ID);
			request.setAsyncAccepted(true);
			return broker.instanceService().updateServiceInstance(request).block();
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static CreateServiceInstanceRequest provisionRequest(String version) {
		try {
			CreateServiceInstanceRequest request = JSON.readValue("{\"service_id\":\"" + TestBroker.SERVICE_ID
					+ "\",\"plan_id\":\"" + SMALL + "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\","
					+ "\"context\":{\"platform\":\"cloudfoundry\"},\"maintenance_info\":{\"version\":\"" + version
					+ "\"}}", CreateServiceInstanceRequest.class);
			request.setServiceInstanceId(ID);
			request.setAsyncAccepted(true);
			return request;
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
