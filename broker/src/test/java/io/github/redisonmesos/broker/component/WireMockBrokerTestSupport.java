package io.github.redisonmesos.broker.component;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Sealed;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.broker.support.TemplateRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker over HTTP with Marathon and Consul in WireMock, answering with the recorded
 * upstream bodies, Consul's KV kept by {@link ConsulKvStore}, and a real redis-server
 * started from the shipped app template where a test binds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "BROKER_USERNAME=" + BrokerApi.USERNAME, "BROKER_PASSWORD=" + BrokerApi.PASSWORD,
				"BROKER_SECRETS_KEY=" + TestSecrets.KEY, "CONSUL_APP_URL=http://consul.service.example:8500",
				// long enough for a lock that ends after a retry, short enough to keep a
				// lock that never ends from slowing the suite
				"broker.marathon.locked-wait=1s",
				// no background rounds: every class's context stays cached (and its
				// schedulers running) on the same stubs, and the HA check's reads of
				// every
				// instance record, without the token ConsulAclTokenTests' context sends,
				// landed among that test's requests
				"broker.reconcile.ha-interval=1h", "broker.backups.tick=1h" })
@ExtendWith(WireMockBrokerTestSupport.StopServersAfterAllTests.class)
// the broker's metrics are part of what it serves: export them as in production
@AutoConfigureObservability
@Import(AsyncDispatches.class)
abstract class WireMockBrokerTestSupport {

	static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	static final String BINDING_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";

	static final String APP_ID = "/osb-redis/" + ID;

	static final String SERVICE = "redis-" + ID;

	static final String INSTANCE_KEY = "osb-redis/instances/" + ID;

	static final String INSTANCE_PATH = "/v2/service_instances/" + ID;

	static final String BINDING_PATH = INSTANCE_PATH + "/service_bindings/" + BINDING_ID;

	static final String PROVISION = "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
			+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\",\"context\":{\"platform\":\"cloudfoundry\","
			+ "\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}}";

	static final String BIND = "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
			+ "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}";

	static final String DELETE_QUERY = "?service_id=" + SERVICE_ID + "&plan_id=" + SMALL;

	protected static final StubRegistry marathonServer = new StubRegistry();

	protected static final ConsulKvStore kvStore = new ConsulKvStore();

	protected static final StubRegistry consulServer = new StubRegistry(kvStore);

	static {
		marathonServer.start();
		consulServer.start();
	}

	protected final MarathonStubs marathon = new MarathonStubs(marathonServer);

	protected final ConsulStubs consul = new ConsulStubs(consulServer, kvStore);

	protected final ObjectMapper objectMapper = new ObjectMapper();

	@TempDir
	protected Path sandbox;

	@LocalServerPort
	private int port;

	protected BrokerApi broker;

	private TemplateRedis redis;

	@DynamicPropertySource
	static void dependencies(DynamicPropertyRegistry registry) {
		registry.add("MARATHON_URL", marathonServer::baseUrl);
		registry.add("CONSUL_URL", consulServer::baseUrl);
	}

	@BeforeEach
	void setUp() {
		marathonServer.reset();
		consulServer.reset();
		kvStore.clear();
		this.consul.kvIsAStore();
		this.consul.agentIsInDatacenterDc1();
		this.broker = new BrokerApi(this.port);
	}

	@AfterEach
	void everyRequiredStubWasUsed() {
		if (this.redis != null) {
			this.redis.close();
		}
		marathonServer.assertEveryRequiredStubWasUsed();
		consulServer.assertEveryRequiredStubWasUsed();
	}

	protected ResponseEntity<JsonNode> provision(String body) {
		return this.broker.call(HttpMethod.PUT, INSTANCE_PATH + "?accepts_incomplete=true", body);
	}

	protected List<Object> lastOperation(String operation) {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET,
				INSTANCE_PATH + "/last_operation" + ((operation != null) ? "?operation=" + operation : ""), null);
		JsonNode body = (response.getBody() != null) ? response.getBody() : this.objectMapper.createObjectNode();
		return List.of(response.getStatusCode(), body.path("state").asText(), body.path("description").asText());
	}

	/**
	 * Provision and poll until Marathon and Consul say the instance runs on a real Redis.
	 */
	protected void provisioned() {
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.marathon.appIsDeploying(APP_ID);
		assertThat(lastOperation("provision"))
			.isEqualTo(List.of(HttpStatus.OK, "in progress", "waiting for Marathon to start the Redis task"));
		this.marathon.appIsHealthy(APP_ID);
		this.redis = new TemplateRedis(this.sandbox, ID, adminPassword());
		this.consul.serviceIsPassingAt(SERVICE, "127.0.0.1", this.redis.port());
		assertThat(lastOperation("provision")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));
	}

	/**
	 * The whole lifecycle as Cloud Foundry drives it, once: catalog, provision, poll,
	 * bind, use Redis, get binding, unbind, deprovision, poll to gone.
	 * @return the bind credentials
	 */
	protected JsonNode runWholeLifecycle() {
		assertThat(this.broker.call(HttpMethod.GET, "/v2/catalog", null).getStatusCode()).isEqualTo(HttpStatus.OK);
		provisioned();

		ResponseEntity<JsonNode> bind = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(bind.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		JsonNode credentials = bind.getBody().path("credentials");
		assertThat(credentials.path("username").asText()).isEqualTo("b-" + BINDING_ID);
		try (Jedis app = connect(credentials)) {
			assertThat(app.incr("counter")).isEqualTo(1);
		}
		assertThat(this.broker.call(HttpMethod.GET, BINDING_PATH, null).getBody().path("credentials"))
			.isEqualTo(credentials);
		assertThat(this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND).getStatusCode()).isEqualTo(HttpStatus.OK);

		assertThat(this.broker.call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(this.broker.call(HttpMethod.GET, BINDING_PATH, null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);

		this.marathon.acceptsAppDeletion(APP_ID);
		assertThat(this.broker.call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null)
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.marathon.appDoesNotExist(APP_ID);
		this.consul.serviceHasNoInstances(SERVICE);
		assertThat(lastOperation("deprovision")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis app removed"));
		assertThat(lastOperation(null).get(0)).isEqualTo(HttpStatus.GONE);
		return credentials;
	}

	/** The admin password of the instance, opened from its record with the test key. */
	protected String adminPassword() {
		try {
			InstanceRecord record = this.objectMapper.findAndRegisterModules()
				.readValue(this.consul.kv().get(INSTANCE_KEY), InstanceRecord.class);
			Sealed sealed = record.adminPassword();
			return TestSecrets.box().open(sealed, InstanceRecord.adminPasswordContext(ID));
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static Jedis connect(JsonNode credentials) {
		return new Jedis(new HostAndPort(credentials.path("host").asText(), credentials.path("port").asInt()),
				DefaultJedisClientConfig.builder()
					.user(credentials.path("username").asText())
					.password(credentials.path("password").asText())
					.timeoutMillis(2000)
					.build());
	}

	/** Every KV value, joined, for checks that no secret is in Consul. */
	protected String everythingInConsul() {
		return String.join("\n", this.consul.kv().values());
	}

	protected Map<String, String> kvSnapshot() {
		return Map.copyOf(this.consul.kv());
	}

	/**
	 * The servers outlive one test class because the Spring context that points at them
	 * is cached across classes; they stop when the whole test run ends.
	 */
	static class StopServersAfterAllTests implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext context) {
			context.getRoot()
				.getStore(ExtensionContext.Namespace.GLOBAL)
				.getOrComputeIfAbsent("wiremock-servers", (key) -> (ExtensionContext.Store.CloseableResource) () -> {
					marathonServer.stop();
					consulServer.stop();
				});
		}

	}

}
