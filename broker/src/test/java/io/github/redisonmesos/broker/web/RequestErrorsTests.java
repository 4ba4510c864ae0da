package io.github.redisonmesos.broker.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.binding.TestBindings;
import io.github.redisonmesos.broker.catalog.TestCatalog;
import io.github.redisonmesos.broker.consul.KvKey;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.maintenance.PlanVersions;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.servicebroker.autoconfigure.web.EventFlowsAutoConfiguration;
import org.springframework.cloud.servicebroker.autoconfigure.web.ServiceBrokerAutoConfiguration;
import org.springframework.cloud.servicebroker.autoconfigure.web.servlet.ServiceBrokerWebMvcAutoConfiguration;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request a platform or an attacker can get wrong answers with a 4xx and an OSB
 * body whose description says what was wrong, and changes nothing. A web slice: the
 * broker's web layer, security and catalog, the OSB framework's controllers, and the
 * instance and binding services over the in-process Consul and Marathon.
 */
@WebMvcTest(
		includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "io\\.github\\.redisonmesos\\.broker\\.(web|security|catalog)\\..*"),
		// the TLS delivery endpoint has tests of its own (TlsLocalPlatformTests)
		excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "io\\.github\\.redisonmesos\\.broker\\.tls\\..*"),
		properties = { "BROKER_USERNAME=" + RequestErrorsTests.USERNAME,
				"BROKER_PASSWORD=" + RequestErrorsTests.PASSWORD, "BROKER_SECRETS_KEY=" + TestSecrets.KEY })
@ImportAutoConfiguration({ ServiceBrokerAutoConfiguration.class, EventFlowsAutoConfiguration.class,
		ServiceBrokerWebMvcAutoConfiguration.class })
class RequestErrorsTests {

	static final String USERNAME = "cf-platform";

	static final String PASSWORD = "broker-test-password";

	private static final String SERVICE_ID = TestBroker.SERVICE_ID;

	private static final String SMALL = TestBroker.SMALL;

	private static final String MEDIUM = TestBroker.MEDIUM;

	private static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	private static final String OTHER = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";

	private static final String BINDING_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";

	private static final String INSTANCE_KEY = "osb-redis/instances/" + ID;

	private static final String INSTANCE_PATH = "/v2/service_instances/" + ID;

	private static final String BINDING_PATH = INSTANCE_PATH + "/service_bindings/" + BINDING_ID;

	private static final String PROVISION = "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
			+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\",\"context\":{\"platform\":\"cloudfoundry\","
			+ "\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}}";

	private static final String BIND = "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
			+ "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}";

	private static final String DELETE_QUERY = "?service_id=" + SERVICE_ID + "&plan_id=" + SMALL;

	private static final ObjectMapper JSON = new ObjectMapper();

	@Autowired
	private MockMvc mvc;

	@Autowired
	private TestBroker broker;

	/** Ids that must never reach a URL, a key or a file name as they are. */
	static Stream<String> hostileIds() {
		return Stream.of("a%3Frecurse", "a%26b%3Dc", "a%23b", "..", "a/b", "a%2Fb", "x".repeat(5000), "%C3%A9t%C3%A9",
				"UPPER", "a.b");
	}

	static Stream<Arguments> hostileRequests() {
		List<Arguments> requests = new ArrayList<>();
		hostileIds().forEach((id) -> {
			String bindingPath = INSTANCE_PATH + "/service_bindings/" + id;
			String instancePath = "/v2/service_instances/" + id;
			requests.add(Arguments.of(HttpMethod.PUT, instancePath + "?accepts_incomplete=true", PROVISION));
			requests.add(Arguments.of(HttpMethod.PATCH, instancePath + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM + "\"}"));
			requests
				.add(Arguments.of(HttpMethod.DELETE, instancePath + DELETE_QUERY + "&accepts_incomplete=true", null));
			requests.add(Arguments.of(HttpMethod.GET, instancePath, null));
			requests.add(Arguments.of(HttpMethod.GET, instancePath + "/last_operation?operation=deprovision", null));
			requests.add(Arguments.of(HttpMethod.PUT, bindingPath, BIND));
			requests.add(Arguments.of(HttpMethod.GET, bindingPath, null));
			requests.add(Arguments.of(HttpMethod.DELETE, bindingPath + DELETE_QUERY, null));
			requests.add(Arguments.of(HttpMethod.GET, bindingPath + "/last_operation", null));
			requests
				.add(Arguments.of(HttpMethod.PUT, "/v2/service_instances/" + id + "/service_bindings/" + OTHER, BIND));
		});
		return requests.stream();
	}

	@BeforeEach
	void records() {
		this.broker.consul.write(INSTANCE_KEY, "{\"instance\":\"record\"}");
		this.broker.consul.write("osb-redis/bindings/" + ID + "/" + OTHER, "{\"binding\":\"record\"}");
		this.broker.consul.write("osb-redis/bindings/" + ID + "/a", "{\"binding\":\"a\"}");
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("hostileRequests")
	void aHostileIdIsRefusedWithTheSpecsStatusAndChangesNothing(HttpMethod method, String path, String body)
			throws Exception {
		Map<String, String> before = this.broker.consul.values();
		int writesBefore = this.broker.consul.writes().size();
		List<String> marathonCallsBefore = this.broker.deployer.calls();
		Answer answer = call(method, path, body);
		assertThat(answer.status()).isEqualTo(expectedStatus(method, path));
		assertThat(answer.body().path("description").asText()).isNotBlank();
		assertThat(this.broker.consul.values()).isEqualTo(before);
		assertThat(this.broker.deployer.calls()).isEqualTo(marathonCallsBefore);
		// nothing but the KV reads of the request before it, at most
		assertThat(this.broker.consul.writes()).hasSize(writesBefore);
	}

	private static int expectedStatus(HttpMethod method, String pathAndQuery) {
		String path = pathAndQuery.split("\\?", 2)[0];
		if (path.contains("%2F") || path.contains("/../") || path.endsWith("/..")) {
			// refused by the firewall before any endpoint: malformed
			return 400;
		}
		if (path.contains("a/b")) {
			// a raw slash adds a segment: no endpoint has that shape
			return 404;
		}
		if (method == HttpMethod.PUT || method == HttpMethod.PATCH) {
			return 400;
		}
		return (method == HttpMethod.DELETE) ? 410 : 404;
	}

	@Test
	void acceptsIncompleteThatIsNotABooleanIs400() throws Exception {
		clearRecords();
		Answer answer = call(HttpMethod.PUT, INSTANCE_PATH + "?accepts_incomplete=maybe", PROVISION);
		assertThat(answer.status()).isEqualTo(HttpStatus.BAD_REQUEST.value());
		assertThat(answer.body().path("description").asText())
			.isEqualTo("The parameter accepts_incomplete must be true or false, not 'maybe'.");
		assertThat(this.broker.consul.values()).isEmpty();
	}

	@Test
	void provisionWithoutOrganizationOrSpaceIs400AndWritesNothing() throws Exception {
		clearRecords();
		Answer noOrg = provision(
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL + "\",\"space_guid\":\"s\"}");
		assertThat(noOrg.status()).isEqualTo(HttpStatus.BAD_REQUEST.value());
		assertThat(noOrg.body().path("description").asText()).contains("organization_guid");
		Answer noSpace = provision(
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL + "\",\"organization_guid\":\"o\"}");
		assertThat(noSpace.status()).isEqualTo(HttpStatus.BAD_REQUEST.value());
		assertThat(noSpace.body().path("description").asText()).contains("space_guid");
		assertThat(this.broker.consul.values()).isEmpty();
	}

	@Test
	void provisionWithUnknownServiceOrPlanIs400NamingTheId() throws Exception {
		clearRecords();
		Answer answer = provision(PROVISION.replace(SMALL, "no-such-plan"));
		assertThat(answer.status()).isEqualTo(HttpStatus.BAD_REQUEST.value());
		assertThat(answer.body().path("description").asText()).contains("no-such-plan", "GET /v2/catalog");
		assertThat(provision(PROVISION.replace(SERVICE_ID, "no-such-service")).status())
			.isEqualTo(HttpStatus.BAD_REQUEST.value());
		assertThat(this.broker.consul.values()).isEmpty();
	}

	@Test
	void provisionWithoutAcceptsIncompleteIs422AsyncRequired() throws Exception {
		Answer answer = call(HttpMethod.PUT, INSTANCE_PATH, PROVISION);
		assertThat(answer.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY.value());
		assertThat(answer.body().path("error").asText()).isEqualTo("AsyncRequired");
	}

	@Test
	void provisionWithTheSameIdAndAnotherPlanIs409() throws Exception {
		clearRecords();
		provision(PROVISION);
		assertThat(provision(PROVISION.replace(SMALL, MEDIUM)).status()).isEqualTo(HttpStatus.CONFLICT.value());
	}

	@Test
	void lastOperationOfAnUnknownInstanceIs404() throws Exception {
		clearRecords();
		Answer answer = call(HttpMethod.GET, INSTANCE_PATH + "/last_operation", null);
		assertThat(answer.status()).isEqualTo(HttpStatus.NOT_FOUND.value());
		assertThat(answer.body().path("description").asText()).contains(ID);
	}

	@Test
	void unknownInstancesAndBindingsAnswerWhatTheSpecSays() throws Exception {
		clearRecords();
		assertThat(call(HttpMethod.GET, INSTANCE_PATH, null).status()).isEqualTo(HttpStatus.NOT_FOUND.value());
		assertThat(call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null).status())
			.isEqualTo(HttpStatus.GONE.value());
		assertThat(call(HttpMethod.GET, BINDING_PATH, null).status()).isEqualTo(HttpStatus.NOT_FOUND.value());
		assertThat(call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null).status())
			.isEqualTo(HttpStatus.GONE.value());
	}

	@Test
	void aMethodNoEndpointTakesIs405WithADescription() throws Exception {
		Answer answer = call(HttpMethod.POST, "/v2/catalog", "{}");
		assertThat(answer.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED.value());
		assertThat(answer.body().path("description").asText()).contains("POST");
	}

	@Test
	void catalogPlansDoNotRepeatWhatTheServiceSays() throws Exception {
		JsonNode service = call(HttpMethod.GET, "/v2/catalog", null).body().path("services").get(0);
		assertThat(service.path("plan_updateable").asBoolean()).isTrue();
		assertThat(service.path("bindable").asBoolean()).isTrue();
		assertThat(service.path("plans")).isNotEmpty()
			.allSatisfy((plan) -> assertThat(plan.has("plan_updateable") || plan.has("bindable")).isFalse());
	}

	private void clearRecords() {
		this.broker.consul.deleteFolder(KvKey.of(List.of("osb-redis")));
	}

	private Answer provision(String body) throws Exception {
		return call(HttpMethod.PUT, INSTANCE_PATH + "?accepts_incomplete=true", body);
	}

	private Answer call(HttpMethod method, String path, String body) throws Exception {
		// the path goes out exactly as written, so that tests can send hostile encodings
		MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, URI.create(path))
			.header("X-Broker-API-Version", "2.16")
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.header("X-Broker-API-Originating-Identity",
					"cloudfoundry eyJ1c2VyX2lkIjoiNjgzZWE3NDgtMzA5Mi00ZmY0LWI2NTYtMzljYWNjNGQ1MzYwIn0=");
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
		String content = response.getContentAsString(StandardCharsets.UTF_8);
		return new Answer(response.getStatus(), content.isEmpty() ? JSON.createObjectNode() : JSON.readTree(content));
	}

	private record Answer(int status, JsonNode body) {

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Services {

		@Bean
		TestBroker testBroker() {
			return new TestBroker();
		}

		@Bean
		ServiceInstanceService serviceInstanceService(TestBroker broker) {
			return broker.instanceService();
		}

		@Bean
		ServiceInstanceBindingService serviceInstanceBindingService(TestBroker broker) {
			return TestBindings.service(broker, "");
		}

		@Bean
		MeterRegistry meterRegistry(TestBroker broker) {
			return broker.meters;
		}

		// the catalog's maintenance_info, as the test broker's
		@Bean
		PlanVersions planVersions() {
			return TestCatalog.versions(TestCatalog.VERSION);
		}

		// no operator CA: the tls parameter as without TLS
		@Bean
		InstanceTlsProperties instanceTlsProperties() {
			return InstanceTlsProperties.OFF;
		}

	}

}
