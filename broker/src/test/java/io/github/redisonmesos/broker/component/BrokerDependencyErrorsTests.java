package io.github.redisonmesos.broker.component;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.security.TestSecrets;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the broker answers over HTTP when a dependency fails, refuses or moves: Marathon
 * away or refusing a definition, Consul unreachable, Redis moving, a record sealed with
 * another key. Requests that are wrong in themselves are {@code web.RequestErrorsTests}.
 */
class BrokerDependencyErrorsTests extends WireMockBrokerTestSupport {

	private static final String OTHER = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";

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
		String foreign = TestSecrets.box(TestSecrets.OTHER_KEY, "").seal("x", "instance/" + ID + "/admin").value();
		this.consul.kvHolds(INSTANCE_KEY,
				record.replaceFirst("\"adminPassword\":\"[^\"]+\"", "\"adminPassword\":\"" + foreign + "\""));
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(response.getBody().path("description").asText()).contains("BROKER_SECRETS_KEY",
				"BROKER_SECRETS_KEY_PREVIOUS");
		assertThat(response.getBody().toString()).doesNotContain("at io.github", "Exception");
	}

}
