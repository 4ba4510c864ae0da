package io.github.redisonmesos.broker.binding;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.osb.ResourceNotFoundException;
import io.github.redisonmesos.broker.support.TemplateRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingExistsException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.model.binding.BindResource;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.GetLastServiceBindingOperationRequest;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;

import static io.github.redisonmesos.broker.instance.operations.TestBroker.SERVICE_ID;
import static io.github.redisonmesos.broker.instance.operations.TestBroker.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bindings through the broker's ports, against the real redis-server the shipped app
 * template starts: a Redis user per binding, revoked on unbind, surviving a restart.
 */
class RedisServiceInstanceBindingServiceTests {

	private static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	private static final String FIRST = "11111111-2222-4333-8444-555555555555";

	private static final String SECOND = "66666666-7777-4888-9999-000000000000";

	@TempDir
	Path sandbox;

	private final TestBroker broker = new TestBroker();

	private final ServiceInstanceBindingService bindings = TestBindings.service(this.broker, "");

	private TemplateRedis redis;

	@BeforeEach
	void provisionedInstanceWithItsRedis() {
		this.broker.provisioned(ID, "127.0.0.1", 1);
		this.redis = new TemplateRedis(this.sandbox, ID, this.broker.adminPassword(ID));
		this.broker.consul.passing(ServiceNames.of(ID), "127.0.0.1", this.redis.port());
	}

	@AfterEach
	void stopRedis() {
		this.redis.close();
	}

	@Test
	void eachBindingGetsItsOwnUserAndPasswordAndBothCanCount() {
		Map<String, Object> first = bind(FIRST, "app-1");
		Map<String, Object> second = bind(SECOND, "app-2");
		assertThat(first.get("username")).isEqualTo("b-" + FIRST);
		assertThat(second.get("username")).isEqualTo("b-" + SECOND);
		assertThat(first.get("password")).isNotEqualTo(second.get("password"));
		try (Jedis one = connect(first); Jedis two = connect(second)) {
			assertThat(one.incr("counter")).isEqualTo(1);
			assertThat(two.incr("counter")).isEqualTo(2);
		}
	}

	@Test
	void credentialsSayWhereRedisIsAndWhereToAskAgainButNeverHoldTheAdminPassword() {
		Map<String, Object> credentials = bind(FIRST, "app-1");
		String password = (String) credentials.get("password");
		assertThat(password).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9]+");
		assertThat(credentials).containsEntry("host", "127.0.0.1")
			.containsEntry("port", this.redis.port())
			.containsEntry("uri", "redis://b-" + FIRST + ":" + password + "@127.0.0.1:" + this.redis.port())
			.containsEntry("consul_url", "http://consul.example:8500")
			.containsEntry("consul_datacenter", "dc1")
			.containsEntry("consul_service", "redis-" + ID)
			.doesNotContainKey("consul_token");
		assertThat(credentials.toString()).doesNotContain(this.broker.adminPassword(ID));
	}

	@Test
	void theConsulAppTokenIsHandedOutWhenConfigured() {
		Map<String, Object> credentials = bind(TestBindings.service(this.broker, "app-token-1"), FIRST, "app-1");
		assertThat(credentials).containsEntry("consul_token", "app-token-1");
	}

	@Test
	void aBindingUserHasWhatFrameworksSendButNoAdministration() {
		try (Jedis app = connect(bind(FIRST, "app-1"))) {
			assertThat(app.set("k", "v")).isEqualTo("OK");
			// Spring Boot's health check, Spring Data's cache eviction, test resets
			assertThat(app.info("server")).contains("redis_version");
			assertThat(app.keys("*")).containsExactly("k");
			assertThat(app.flushDB()).isEqualTo("OK");
			assertThat(app.clientSetname("app-1")).isEqualTo("OK");
			assertThat(app.clientId()).isPositive();
			for (String[] command : new String[][] { { "CONFIG", "GET", "dir" },
					{ "MIGRATE", "127.0.0.1", "1", "k", "0", "10" }, { "ACL", "LIST" }, { "CLIENT", "LIST" },
					{ "SHUTDOWN" } }) {
				assertThatExceptionOfType(JedisDataException.class)
					.isThrownBy(() -> app.sendCommand(() -> SafeEncoder.encode(command[0]),
							Arrays.copyOfRange(command, 1, command.length)))
					.as(String.join(" ", command))
					.withMessageContaining("NOPERM");
			}
		}
		try (Jedis admin = admin()) {
			assertThat(admin.ping()).isEqualTo("PONG");
		}
	}

	@Test
	void withConsulDnsTheHostIsTheInstancesConsulNameOnItsOwnPort() {
		ServiceInstanceBindingService dns = TestBindings.service(this.broker, "",
				new CredentialsProperties(CredentialsProperties.HostStyle.CONSUL_DNS, "consul"));
		Map<String, Object> credentials = bind(dns, FIRST, "app-1");
		String host = "redis-" + ID + ".service.consul";
		assertThat(credentials).containsEntry("host", host)
			.containsEntry("port", this.redis.port())
			.containsEntry("uri",
					"redis://b-" + FIRST + ":" + credentials.get("password") + "@" + host + ":" + this.redis.port());
	}

	@Test
	void anInstanceWithItsOwnPortHandsOutThatPort() {
		String instanceId = "0a0a0a0a-0000-4000-8000-00000000000a";
		this.broker.deployer.redisPorts(new PortRange(33100, 33100));
		this.broker.provisioned(instanceId, "127.0.0.1", this.redis.port());
		assertThat(this.broker.record(instanceId).port()).isEqualTo(33100);
		// the same Redis serves both instances here: the user is created where Consul
		// lists it, the credentials name the instance's own port
		try (Jedis admin = admin()) {
			admin.aclSetUser(InstanceRecord.ADMIN_USER, "on", ">" + this.broker.adminPassword(instanceId), "~*",
					"+@all");
		}
		Map<String, Object> credentials = bind(this.bindings, instanceId, FIRST, "app-1");
		assertThat(credentials).containsEntry("host", "127.0.0.1").containsEntry("port", 33100);
		assertThat((String) credentials.get("uri")).endsWith("@127.0.0.1:33100");
	}

	@Test
	void unbindRevokesTheUserAtOnceAndLeavesTheOtherBindingWorking() {
		Map<String, Object> first = bind(FIRST, "app-1");
		Map<String, Object> second = bind(SECOND, "app-2");
		try (Jedis open = connect(first)) {
			assertThat(open.ping()).isEqualTo("PONG");
			unbind(FIRST);
			// Redis closed the connection the user had open
			assertThatExceptionOfType(JedisConnectionException.class).isThrownBy(open::ping);
		}
		assertThatExceptionOfType(JedisAccessControlException.class).isThrownBy(() -> connect(first).close())
			.withMessageContaining("WRONGPASS");
		try (Jedis two = connect(second)) {
			assertThat(two.incr("still")).isEqualTo(1);
		}
		assertThatExceptionOfType(ServiceInstanceBindingDoesNotExistException.class).isThrownBy(() -> get(FIRST));
		assertThatExceptionOfType(ServiceInstanceBindingDoesNotExistException.class).isThrownBy(() -> unbind(FIRST));
	}

	@Test
	void usersSurviveARestartOfRedisOnAnotherPortAndTheDefaultUserStaysClosed() {
		Map<String, Object> credentials = bind(FIRST, "app-1");
		this.redis.restart();
		try (Jedis app = new Jedis("127.0.0.1", this.redis.port())) {
			app.auth((String) credentials.get("username"), (String) credentials.get("password"));
			assertThat(app.incr("after-restart")).isEqualTo(1);
		}
		try (Jedis anonymous = new Jedis("127.0.0.1", this.redis.port())) {
			assertThatExceptionOfType(JedisDataException.class).isThrownBy(anonymous::ping)
				.withMessageContaining("NOAUTH");
		}
	}

	@Test
	void repeatedBindAnswersTheSameCredentialsAndGetBindingToo() {
		Map<String, Object> first = bind(FIRST, "app-1");
		CreateServiceInstanceAppBindingResponse again = (CreateServiceInstanceAppBindingResponse) this.bindings
			.createServiceInstanceBinding(request(FIRST, "app-1"))
			.block();
		assertThat(again.isBindingExisted()).isTrue();
		assertThat(again.getCredentials()).isEqualTo(first);
		assertThat(get(FIRST).getCredentials()).isEqualTo(first);
	}

	@Test
	void bindWithTheSameIdForAnotherAppIsAConflict() {
		bind(FIRST, "app-1");
		assertThatExceptionOfType(ServiceInstanceBindingExistsException.class).isThrownBy(() -> bind(FIRST, "app-2"));
	}

	@Test
	void bindWhileRedisIsMovingIsAConcurrencyErrorThatLeavesNoRecordAndNoUser() {
		this.broker.consul.critical(ServiceNames.of(ID), "127.0.0.1", this.redis.port());
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> bind(FIRST, "app-1"))
			.withMessageContaining("retry the bind");
		assertThat(bindingKeys()).isEmpty();
		assertThat(users()).doesNotContain("b-" + FIRST);
	}

	@Test
	void bindWhenRedisIsUnreachableIsA503ThatLeavesNoRecord() {
		this.broker.consul.passing(ServiceNames.of(ID), "127.0.0.1", 1);
		assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(() -> bind(FIRST, "app-1"))
			.withMessageContaining("retry");
		assertThat(bindingKeys()).isEmpty();
	}

	@Test
	void aRecordLeftBeforeItsUserExistedIsFinishedByTheResentBind() {
		Map<String, Object> credentials = bind(FIRST, "app-1");
		// the state a crash between the record and the user leaves
		BindingRecords repository = this.broker.bindings;
		var written = repository.find(ID, FIRST).orElseThrow();
		assertThat(repository.replace(written, new BindingRecord(FIRST, ID, "app-1", Map.of(), "b-" + FIRST,
				written.value().credentials(), BindingRecord.State.CREATING)))
			.isTrue();
		try (Jedis admin = admin()) {
			admin.aclDelUser("b-" + FIRST);
		}
		assertThatExceptionOfType(ServiceInstanceBindingDoesNotExistException.class).isThrownBy(() -> get(FIRST));
		assertThat(bind(FIRST, "app-1")).isEqualTo(credentials);
		try (Jedis app = connect(credentials)) {
			assertThat(app.ping()).isEqualTo("PONG");
		}
		assertThat(get(FIRST).getCredentials()).isEqualTo(credentials);
	}

	@Test
	void concurrentBindsOfOneIdOnTwoBrokersHandOutOneUserAndTheSameCredentials() throws Exception {
		ServiceInstanceBindingService other = TestBindings.service(this.broker.sibling(), "");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Map<String, Object>>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < 8; i++) {
				ServiceInstanceBindingService target = (i % 2 == 0) ? this.bindings : other;
				answers.add(pool.submit(() -> bind(target, FIRST, "app-1")));
			}
			List<Map<String, Object>> credentials = new ArrayList<>();
			for (Future<Map<String, Object>> answer : answers) {
				credentials.add(answer.get(30, TimeUnit.SECONDS));
			}
			assertThat(credentials).allSatisfy((one) -> assertThat(one).isEqualTo(credentials.get(0)));
			try (Jedis app = connect(credentials.get(0))) {
				assertThat(app.ping()).isEqualTo("PONG");
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void noSecretHandedOutIsReadableInConsul() {
		Map<String, Object> first = bind(FIRST, "app-1");
		Map<String, Object> second = bind(TestBindings.service(this.broker, "app-token-1"), SECOND, "app-2");
		String everything = String.join("\n", this.broker.consul.values().values());
		assertThat(everything).doesNotContain((String) first.get("password"))
			.doesNotContain((String) second.get("password"))
			.doesNotContain("app-token-1")
			.doesNotContain(this.broker.adminPassword(ID))
			.contains("b-" + FIRST);
	}

	@Test
	void unbindWhileRedisIsMovingKeepsTheRecordAndSaysToRetry() {
		bind(FIRST, "app-1");
		this.broker.consul.critical(ServiceNames.of(ID), "127.0.0.1", this.redis.port());
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class).isThrownBy(() -> unbind(FIRST))
			.withMessageContaining("retry the unbind");
		assertThat(bindingKeys()).hasSize(1);
		this.broker.consul.passing(ServiceNames.of(ID), "127.0.0.1", this.redis.port());
		unbind(FIRST);
		assertThat(bindingKeys()).isEmpty();
	}

	@Test
	void unbindOfAnInstanceWhoseRedisIsGoneRemovesTheRecord() {
		bind(FIRST, "app-1");
		this.broker.deployer.undeploy(ID);
		this.broker.consul.deregister(ServiceNames.of(ID));
		unbind(FIRST);
		assertThat(bindingKeys()).isEmpty();
	}

	@Test
	void bindToAnInstanceStillProvisioningOrUnknownSaysWhatToDo() {
		String provisioning = "0a0a0a0a-0000-4000-8000-000000000003";
		this.broker.instanceService()
			.createServiceInstance(TestBroker.provisionRequest(provisioning, SMALL, "o", "s", true))
			.block();
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class)
			.isThrownBy(() -> this.bindings.createServiceInstanceBinding(request(provisioning, FIRST, "app-1")).block())
			.withMessageContaining("provision is in progress");
		assertThatExceptionOfType(ServiceInstanceDoesNotExistException.class).isThrownBy(() -> this.bindings
			.createServiceInstanceBinding(request("0a0a0a0a-0000-4000-8000-000000000004", FIRST, "app-1"))
			.block());
	}

	@Test
	void pollingABindingOperationSaysBindingsAreSynchronous() {
		bind(FIRST, "app-1");
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.bindings.getLastOperation(lastOperation(FIRST)).block())
			.withMessageContaining("synchronously");
		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.bindings.getLastOperation(lastOperation(SECOND)).block());
	}

	// helpers

	private List<String> bindingKeys() {
		return this.broker.consul.values().keySet().stream().filter((key) -> key.contains("/bindings/")).toList();
	}

	private List<String> users() {
		try (Jedis admin = admin()) {
			return admin.aclUsers();
		}
	}

	private Jedis admin() {
		Jedis admin = new Jedis("127.0.0.1", this.redis.port());
		admin.auth("osb-admin", this.broker.adminPassword(ID));
		return admin;
	}

	private Jedis connect(Map<String, Object> credentials) {
		return new Jedis(new HostAndPort((String) credentials.get("host"), (Integer) credentials.get("port")),
				DefaultJedisClientConfig.builder()
					.user((String) credentials.get("username"))
					.password((String) credentials.get("password"))
					.timeoutMillis((int) Duration.ofSeconds(2).toMillis())
					.build());
	}

	private Map<String, Object> bind(String bindingId, String appGuid) {
		return bind(this.bindings, bindingId, appGuid);
	}

	private static Map<String, Object> bind(ServiceInstanceBindingService service, String bindingId, String appGuid) {
		return bind(service, ID, bindingId, appGuid);
	}

	private static Map<String, Object> bind(ServiceInstanceBindingService service, String instanceId, String bindingId,
			String appGuid) {
		return ((CreateServiceInstanceAppBindingResponse) service
			.createServiceInstanceBinding(request(instanceId, bindingId, appGuid))
			.block()).getCredentials();
	}

	private static CreateServiceInstanceBindingRequest request(String bindingId, String appGuid) {
		return request(ID, bindingId, appGuid);
	}

	private static CreateServiceInstanceBindingRequest request(String instanceId, String bindingId, String appGuid) {
		return CreateServiceInstanceBindingRequest.builder()
			.serviceInstanceId(instanceId)
			.bindingId(bindingId)
			.serviceDefinitionId(SERVICE_ID)
			.planId(SMALL)
			.bindResource(BindResource.builder().appGuid(appGuid).build())
			.build();
	}

	private GetServiceInstanceAppBindingResponse get(String bindingId) {
		return (GetServiceInstanceAppBindingResponse) this.bindings
			.getServiceInstanceBinding(
					GetServiceInstanceBindingRequest.builder().serviceInstanceId(ID).bindingId(bindingId).build())
			.block();
	}

	private void unbind(String bindingId) {
		this.bindings
			.deleteServiceInstanceBinding(DeleteServiceInstanceBindingRequest.builder()
				.serviceInstanceId(ID)
				.bindingId(bindingId)
				.serviceDefinitionId(SERVICE_ID)
				.planId(SMALL)
				.build())
			.block();
	}

	private static GetLastServiceBindingOperationRequest lastOperation(String bindingId) {
		return GetLastServiceBindingOperationRequest.builder().serviceInstanceId(ID).bindingId(bindingId).build();
	}

}
