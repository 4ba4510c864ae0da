package io.github.redisonmesos.broker.binding;

import java.util.Map;

import io.github.redisonmesos.broker.instance.InstanceRepository;
import io.github.redisonmesos.broker.instance.TestInstances;
import io.github.redisonmesos.broker.support.FakeConsul;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingExistsException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.model.binding.BindResource;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisServiceInstanceBindingServiceTests {

	private static final String ID = "1a2b3c4d-0000-4000-8000-000000000002";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String PASSWORD = "p4ssw0rdp4ssw0rdp4ssw0rdp4ssw0rdXYZ";

	private final FakeConsul consul = new FakeConsul();

	private final InstanceRepository instances = TestInstances.repository(this.consul);

	private final RedisServiceInstanceBindingService service = new RedisServiceInstanceBindingService(this.instances,
			new BindingRepository(TestInstances.kvRecords(this.consul)), this.consul, TestInstances.consulProperties());

	@Test
	void bindHandsOutRedisAddressFromConsulAndWhereToAskAgain() {
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		CreateServiceInstanceAppBindingResponse response = bind("b1", "app-1");
		assertThat(response.isBindingExisted()).isFalse();
		assertThat(response.getCredentials()).containsExactlyInAnyOrderEntriesOf(Map.of("host", "10.0.0.7", "port",
				31001, "password", PASSWORD, "uri", "redis://:" + PASSWORD + "@10.0.0.7:31001", "consul_url",
				"http://consul.example:8500", "consul_datacenter", "dc1", "consul_service", "redis-" + ID));
		assertThat(this.consul.kv()).containsKey("osb-redis/bindings/" + ID + "/b1");
	}

	@Test
	void bindHandsOutConsulAppTokenWhenOneIsConfigured() {
		RedisServiceInstanceBindingService withAppToken = new RedisServiceInstanceBindingService(this.instances,
				new BindingRepository(TestInstances.kvRecords(this.consul)), this.consul,
				TestInstances.consulProperties("app-token-1"));
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		CreateServiceInstanceAppBindingResponse response = (CreateServiceInstanceAppBindingResponse) withAppToken
			.createServiceInstanceBinding(bindRequest("b1", "app-1"))
			.block();
		assertThat(response.getCredentials()).containsEntry("consul_token", "app-token-1");
	}

	@Test
	void bindWithoutConsulAppTokenHasNoConsulTokenKey() {
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		assertThat(bind("b1", "app-1").getCredentials()).doesNotContainKey("consul_token");
	}

	@Test
	void repeatedBindAnswersExistingBindingWithSameCredentials() {
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		CreateServiceInstanceAppBindingResponse first = bind("b1", "app-1");
		this.consul.passing("redis-" + ID, "10.0.0.8", 31002);
		CreateServiceInstanceAppBindingResponse again = bind("b1", "app-1");
		assertThat(again.isBindingExisted()).isTrue();
		assertThat(again.getCredentials()).isEqualTo(first.getCredentials());
	}

	@Test
	void bindWithSameIdForAnotherAppIsAConflict() {
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		bind("b1", "app-1");
		assertThatExceptionOfType(ServiceInstanceBindingExistsException.class).isThrownBy(() -> bind("b1", "app-2"));
	}

	@Test
	void bindToInstanceStillProvisioningIsAConcurrencyError() {
		TestInstances.provisioning(this.consul, ID, SMALL, PASSWORD);
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> bind("b1", "app-1"))
			.withMessageContaining("not ready");
		assertThat(this.consul.kv()).doesNotContainKey("osb-redis/bindings/" + ID + "/b1");
	}

	@Test
	void bindToInstanceWhoseProvisionFailedSaysWaitingWillNotHelp() {
		TestInstances.provisionFailed(this.consul, ID, SMALL, PASSWORD);
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> bind("b1", "app-1"))
			.withMessageContaining("not ready")
			.withMessageContaining("its provision failed")
			.withMessageContaining("create it again or delete it");
	}

	@Test
	void bindToUnknownInstanceSaysTheInstanceDoesNotExist() {
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class).isThrownBy(() -> bind("b1", "app-1"));
	}

	@Test
	void getBindingReturnsStoredCredentialsAndUnbindRemovesThem() {
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		CreateServiceInstanceAppBindingResponse created = bind("b1", "app-1");
		GetServiceInstanceAppBindingResponse read = (GetServiceInstanceAppBindingResponse) this.service
			.getServiceInstanceBinding(
					GetServiceInstanceBindingRequest.builder().serviceInstanceId(ID).bindingId("b1").build())
			.block();
		assertThat(read.getCredentials()).isEqualTo(created.getCredentials());
		this.service.deleteServiceInstanceBinding(unbindRequest("b1")).block();
		assertThat(this.consul.kv()).doesNotContainKey("osb-redis/bindings/" + ID + "/b1");
		assertThatExceptionOfType(ServiceInstanceBindingDoesNotExistException.class)
			.isThrownBy(() -> this.service.deleteServiceInstanceBinding(unbindRequest("b1")).block());
	}

	@Test
	void unbindRemovesOnlyItsOwnBindingNotOnesWhoseIdStartsTheSame() {
		TestInstances.provisioned(this.consul, ID, SMALL, PASSWORD);
		this.consul.passing("redis-" + ID, "10.0.0.7", 31001);
		bind("b1", "app-1");
		bind("b10", "app-2");
		this.service.deleteServiceInstanceBinding(unbindRequest("b1")).block();
		assertThat(this.consul.kv()).doesNotContainKey("osb-redis/bindings/" + ID + "/b1")
			.containsKey("osb-redis/bindings/" + ID + "/b10");
	}

	private CreateServiceInstanceAppBindingResponse bind(String bindingId, String appGuid) {
		return (CreateServiceInstanceAppBindingResponse) this.service
			.createServiceInstanceBinding(bindRequest(bindingId, appGuid))
			.block();
	}

	private static CreateServiceInstanceBindingRequest bindRequest(String bindingId, String appGuid) {
		return CreateServiceInstanceBindingRequest.builder()
			.serviceInstanceId(ID)
			.bindingId(bindingId)
			.serviceDefinitionId("67501925-8bc8-47c3-955c-c1afc8891669")
			.planId(SMALL)
			.bindResource(BindResource.builder().appGuid(appGuid).build())
			.build();
	}

	private static DeleteServiceInstanceBindingRequest unbindRequest(String bindingId) {
		return DeleteServiceInstanceBindingRequest.builder()
			.serviceInstanceId(ID)
			.bindingId(bindingId)
			.serviceDefinitionId("67501925-8bc8-47c3-955c-c1afc8891669")
			.planId(SMALL)
			.build();
	}

}
