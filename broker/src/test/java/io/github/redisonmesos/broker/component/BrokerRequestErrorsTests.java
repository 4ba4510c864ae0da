package io.github.redisonmesos.broker.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request a platform or an attacker can get wrong answers with a 4xx and an OSB
 * body whose description says what was wrong, and changes nothing.
 */
class BrokerRequestErrorsTests extends WireMockBrokerTestSupport {

	private static final String OTHER = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";

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

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("hostileRequests")
	void aHostileIdIsRefusedWithTheSpecsStatusAndChangesNothing(HttpMethod method, String path, String body) {
		this.consul.kvHolds(INSTANCE_KEY, "{\"instance\":\"record\"}");
		this.consul.kvHolds("osb-redis/bindings/" + ID + "/" + OTHER, "{\"binding\":\"record\"}");
		this.consul.kvHolds("osb-redis/bindings/" + ID + "/a", "{\"binding\":\"a\"}");
		Map<String, String> before = kvSnapshot();
		ResponseEntity<JsonNode> response = this.broker.call(method, path, body);
		assertThat(response.getStatusCode().value()).isEqualTo(expectedStatus(method, path));
		assertThat(response.getBody().path("description").asText()).isNotBlank();
		assertThat(kvSnapshot()).isEqualTo(before);
		assertThat(marathonServer.served()).isEmpty();
		// nothing but the KV reads of the request before it, at most
		assertThat(consulServer.served()).allMatch((event) -> event.getRequest().getMethod().getName().equals("GET"));
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
	void acceptsIncompleteThatIsNotABooleanIs400() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT,
				INSTANCE_PATH + "?accepts_incomplete=maybe", PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().path("description").asText())
			.isEqualTo("The parameter accepts_incomplete must be true or false, not 'maybe'.");
		assertThat(this.consul.kv()).isEmpty();
	}

	@Test
	void provisionWithoutOrganizationOrSpaceIs400AndWritesNothing() {
		ResponseEntity<JsonNode> noOrg = provision(
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL + "\",\"space_guid\":\"s\"}");
		assertThat(noOrg.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(noOrg.getBody().path("description").asText()).contains("organization_guid");
		ResponseEntity<JsonNode> noSpace = provision(
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL + "\",\"organization_guid\":\"o\"}");
		assertThat(noSpace.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(noSpace.getBody().path("description").asText()).contains("space_guid");
		assertThat(this.consul.kv()).isEmpty();
	}

	@Test
	void provisionWithUnknownServiceOrPlanIs400NamingTheId() {
		ResponseEntity<JsonNode> response = provision(PROVISION.replace(SMALL, "no-such-plan"));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().path("description").asText()).contains("no-such-plan", "GET /v2/catalog");
		assertThat(provision(PROVISION.replace(SERVICE_ID, "no-such-service")).getStatusCode())
			.isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.consul.kv()).isEmpty();
	}

	@Test
	void provisionWithoutAcceptsIncompleteIs422AsyncRequired() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, INSTANCE_PATH, PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("AsyncRequired");
	}

	@Test
	void provisionWithTheSameIdAndAnotherPlanIs409() {
		this.marathon.acceptsNewApp();
		provision(PROVISION);
		assertThat(provision(PROVISION.replace(SMALL, MEDIUM)).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
	}

	@Test
	void pollingABindingOperationIs400ForAnExistingBindingAnd404Otherwise() {
		provisioned();
		this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		ResponseEntity<JsonNode> existing = this.broker.call(HttpMethod.GET, BINDING_PATH + "/last_operation", null);
		assertThat(existing.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(existing.getBody().path("description").asText()).contains("synchronously");
		ResponseEntity<JsonNode> unknown = this.broker.call(HttpMethod.GET,
				INSTANCE_PATH + "/service_bindings/" + OTHER + "/last_operation", null);
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void lastOperationOfAnUnknownInstanceIs404() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, INSTANCE_PATH + "/last_operation", null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getBody().path("description").asText()).contains(ID);
	}

	@Test
	void unknownInstancesAndBindingsAnswerWhatTheSpecSays() {
		assertThat(this.broker.call(HttpMethod.GET, INSTANCE_PATH, null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.broker.call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null)
			.getStatusCode()).isEqualTo(HttpStatus.GONE);
		assertThat(this.broker.call(HttpMethod.GET, BINDING_PATH, null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.broker.call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null).getStatusCode())
			.isEqualTo(HttpStatus.GONE);
	}

	@Test
	void aMethodNoEndpointTakesIs405WithADescription() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.POST, "/v2/catalog", "{}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(response.getBody().path("description").asText()).contains("POST");
	}

	@Test
	void provisionWhileMarathonAnswers503IsAcceptedAndThePollsSayTheyRetry() {
		this.marathon.failsWith503OnNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.marathon.appDoesNotExist(APP_ID);
		List<Object> poll = lastOperation("provision");
		assertThat(poll.subList(0, 2)).containsExactly(HttpStatus.OK, "in progress");
		assertThat((String) poll.get(2)).contains("retrying", "Marathon", "503");
	}

	@Test
	void provisionThatMarathonRefusesIs500SayingRetryingWillNotHelpAndFailsTheOperation() {
		this.marathon.rejectsNewAppAsInvalid();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(response.getBody().path("description").asText()).contains("refused the app definition",
				"retrying will not help", "broker.marathon.app-template");
		assertThat(lastOperation("provision").subList(0, 2)).containsExactly(HttpStatus.OK, "failed");
	}

	@Test
	void provisionWhenConsulIsUnreachableIs503NamingConsulAndCallsNoMarathon() {
		this.consul.isUnreachable();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("description").asText()).contains("Consul at", "CONSUL_URL");
		assertThat(marathonServer.served()).isEmpty();
	}

	@Test
	void bindWhileRedisIsMovingIs422AndLeavesNoBindingRecord() {
		provisioned();
		this.consul.serviceHasNoInstances(SERVICE);
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("ConcurrencyError");
		assertThat(response.getBody().path("description").asText()).contains("retry the bind");
		assertThat(this.consul.kv().keySet()).noneMatch((key) -> key.contains("/bindings/"));
	}

	@Test
	void aRecordWrittenWithAnotherKeyIsA500NamingTheVariablesNotAStackTrace() {
		provisioned();
		String record = this.consul.kv().get(INSTANCE_KEY);
		String foreign = io.github.redisonmesos.broker.security.TestSecrets
			.box(io.github.redisonmesos.broker.security.TestSecrets.OTHER_KEY, "")
			.seal("x", "instance/" + ID + "/admin")
			.value();
		this.consul.kvHolds(INSTANCE_KEY,
				record.replaceFirst("\"adminPassword\":\"[^\"]+\"", "\"adminPassword\":\"" + foreign + "\""));
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(response.getBody().path("description").asText()).contains("BROKER_SECRETS_KEY",
				"BROKER_SECRETS_KEY_PREVIOUS");
		assertThat(response.getBody().toString()).doesNotContain("at io.github", "Exception");
	}

	@Test
	void catalogPlansDoNotRepeatWhatTheServiceSays() {
		JsonNode service = this.broker.call(HttpMethod.GET, "/v2/catalog", null).getBody().path("services").get(0);
		assertThat(service.path("plan_updateable").asBoolean()).isTrue();
		assertThat(service.path("bindable").asBoolean()).isTrue();
		assertThat(service.path("plans")).isNotEmpty()
			.allSatisfy((plan) -> assertThat(plan.has("plan_updateable") || plan.has("bindable")).isFalse());
	}

}
