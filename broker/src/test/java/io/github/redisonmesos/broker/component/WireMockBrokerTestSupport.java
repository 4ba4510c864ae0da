package io.github.redisonmesos.broker.component;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "BROKER_USERNAME=" + BrokerApi.USERNAME, "BROKER_PASSWORD=" + BrokerApi.PASSWORD,
				"CONSUL_APP_URL=http://consul.service.example:8500",
				// long enough for a lock that ends after a retry, short enough to keep a
				// lock that never ends from slowing the suite
				"broker.marathon.locked-wait=1s" })
@ExtendWith(WireMockBrokerTestSupport.StopServersAfterAllTests.class)
abstract class WireMockBrokerTestSupport {

	static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	static final String APP_ID = "/osb-redis/" + ID;

	static final String SERVICE = "redis-" + ID;

	static final String INSTANCE_KEY = "osb-redis/instances/" + ID;

	static final String BINDING_KEY = "osb-redis/bindings/" + ID + "/b-1";

	static final String INSTANCE_PATH = "/v2/service_instances/" + ID;

	static final String BINDING_PATH = INSTANCE_PATH + "/service_bindings/b-1";

	static final String PROVISION = "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
			+ "\",\"context\":{\"platform\":\"cloudfoundry\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}}";

	static final String BIND = "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
			+ "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}";

	static final String DELETE_QUERY = "?service_id=" + SERVICE_ID + "&plan_id=" + SMALL;

	protected static final StubRegistry marathonServer = new StubRegistry();

	protected static final StubRegistry consulServer = new StubRegistry();

	static {
		marathonServer.start();
		consulServer.start();
	}

	protected final MarathonStubs marathon = new MarathonStubs(marathonServer);

	protected final ConsulStubs consul = new ConsulStubs(consulServer);

	protected final ObjectMapper objectMapper = new ObjectMapper();

	@LocalServerPort
	private int port;

	protected BrokerApi broker;

	@DynamicPropertySource
	static void dependencies(DynamicPropertyRegistry registry) {
		registry.add("MARATHON_URL", marathonServer::baseUrl);
		registry.add("CONSUL_URL", consulServer::baseUrl);
	}

	@BeforeEach
	void setUp() {
		marathonServer.reset();
		consulServer.reset();
		this.broker = new BrokerApi(this.port);
	}

	@AfterEach
	void everyRequiredStubWasUsed() {
		marathonServer.assertEveryRequiredStubWasUsed();
		consulServer.assertEveryRequiredStubWasUsed();
	}

	/** An instance record as the broker stores it, for a request equal to PROVISION. */
	protected static String instanceRecord(String planId, String type, String state) {
		return "{\"instanceId\":\"" + ID + "\",\"serviceId\":\"" + SERVICE_ID + "\",\"planId\":\"" + planId
				+ "\",\"organizationGuid\":\"org-1\",\"spaceGuid\":\"space-1\",\"parameters\":{},\"volumeGb\":1,"
				+ "\"password\":\"Zk3vQ9mW2xR7tL4pB8nC1yH6jD5sF0gA3eK9uV2i\",\"operation\":{\"type\":\"" + type
				+ "\",\"state\":\"" + state + "\",\"startedAt\":\"" + java.time.Instant.now()
				+ "\",\"description\":\"\"}}";
	}

	protected ResponseEntity<JsonNode> provision(String body) {
		return this.broker.call(HttpMethod.PUT, INSTANCE_PATH + "?accepts_incomplete=true", body);
	}

	protected List<Object> lastOperation(String operation) {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET,
				INSTANCE_PATH + "/last_operation?operation=" + operation, null);
		JsonNode body = (response.getBody() != null) ? response.getBody() : this.objectMapper.createObjectNode();
		return List.of(response.getStatusCode(), body.path("state").asText(), body.path("description").asText());
	}

	/**
	 * Provision, poll, bind, get binding, update, unbind, deprovision, poll to gone.
	 * @return the bind credentials
	 */
	protected JsonNode runWholeLifecycle() {
		this.consul.acceptsWrites();
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.appIsHealthy(APP_ID);
		this.consul.serviceIsPassing(SERVICE);
		assertThat(lastOperation("provision")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.consul.keyIsAbsent(BINDING_KEY);
		this.consul.agentIsInDatacenterDc1();
		JsonNode bind = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND).getBody();
		assertThat(bind.path("credentials").path("password").asText()).hasSizeGreaterThanOrEqualTo(32);

		this.consul.keyHoldsWhatTheBrokerWrote(BINDING_KEY);
		assertThat(this.broker.call(HttpMethod.GET, BINDING_PATH, null).getBody().path("credentials"))
			.isEqualTo(bind.path("credentials"));

		this.marathon.acceptsAppUpdate(APP_ID);
		assertThat(this.broker
			.call(HttpMethod.PATCH, INSTANCE_PATH + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM + "\"}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(lastOperation("update")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));

		this.consul.acceptsDeletes();
		assertThat(this.broker.call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null).getStatusCode())
			.isEqualTo(HttpStatus.OK);

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.acceptsAppDeletion(APP_ID);
		assertThat(this.broker.call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null)
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.appDoesNotExist(APP_ID);
		this.consul.serviceHasNoInstances(SERVICE);
		assertThat(lastOperation("deprovision").get(0)).isEqualTo(HttpStatus.GONE);
		return bind.path("credentials");
	}

	/**
	 * Bind b-1 to a provisioned instance whose Redis Consul lists as passing.
	 * @return the bind response
	 */
	protected ResponseEntity<JsonNode> bindToProvisionedInstance() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "SUCCEEDED"));
		this.consul.keyIsAbsent(BINDING_KEY);
		this.consul.serviceIsPassing(SERVICE);
		this.consul.agentIsInDatacenterDc1();
		return this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
	}

	protected static int orderOf(List<ServeEvent> events, String request) {
		for (int i = events.size() - 1; i >= 0; i--) {
			ServeEvent event = events.get(i);
			if ((event.getRequest().getMethod() + " " + event.getRequest().getUrl()).startsWith(request)) {
				return i;
			}
		}
		throw new AssertionError("No request " + request);
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
