package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Marathon's two 409 answers: "app locked by a deployment" is waited out for
 * {@code broker.marathon.locked-wait} (1s here) and then reported, "app already exists"
 * means an earlier attempt created the app.
 */
class MarathonConflictTests extends WireMockBrokerTestSupport {

	@Test
	void provisionWhileMarathonAppIsLockedOnceAnswers202AfterRetrying() {
		this.consul.acceptsWrites();
		this.marathon.newAppIsLockedOnceThenAccepted();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(response.getBody().path("operation").asText()).isEqualTo("provision");
		assertThat(this.marathon.createdApps()).hasSize(2);
		assertThat(this.consul.writes(INSTANCE_KEY)).hasSize(1);
	}

	@Test
	void provisionWhileMarathonAppStaysLockedAnswers422AndRecordsTheFailureThatARetryRepairs() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		this.consul.createWins(INSTANCE_KEY);
		this.consul.acceptsWrites();
		this.marathon.newAppStaysLockedByDeployment();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("ConcurrencyError");
		assertThat(response.getBody().path("description").asText())
			.contains("Marathon app " + APP_ID + " is locked by a deployment")
			.contains("97c136bf-5a28-4821-9d94-480d9fbb01c8")
			.contains("retry")
			.doesNotContain("force=true");
		assertThat(this.marathon.createdApps()).hasSizeGreaterThan(1);
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"FAILED\"").contains("locked by a deployment");

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(lastOperation("provision").subList(0, 2)).containsExactly(HttpStatus.OK, "failed");

		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"IN_PROGRESS\"");
	}

	@Test
	void provisionWhenMarathonAppAlreadyExistsAnswers202AsCreated() {
		this.consul.acceptsWrites();
		this.marathon.newAppAlreadyExists();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(this.marathon.createdApps()).hasSize(1);
		assertThat(this.consul.writes(INSTANCE_KEY)).hasSize(1);
	}

	@Test
	void updateWhileMarathonAppIsLockedOnceAnswers202AfterRetrying() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "SUCCEEDED"));
		this.consul.acceptsWrites();
		this.marathon.appIsLockedOnceThenAcceptsUpdate(APP_ID);
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PATCH,
				INSTANCE_PATH + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM + "\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(this.marathon.updatedApps(APP_ID)).hasSize(2);
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"UPDATE\"");
	}

}
