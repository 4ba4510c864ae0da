package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error answers of each OSB endpoint, with Marathon and Consul misbehaving in their
 * real ways.
 */
class BrokerErrorStatusTests extends WireMockBrokerTestSupport {

	@Test
	void provisionWithoutAcceptsIncompleteAnswers422AsyncRequired() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, INSTANCE_PATH, PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("AsyncRequired");
		assertThat(response.getBody().path("description").asText()).contains("accepts_incomplete=true");
	}

	@Test
	void provisionWithUnknownServiceIdAnswers400NamingTheId() {
		ResponseEntity<JsonNode> response = provision(PROVISION.replace(SERVICE_ID, "no-such-service"));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().path("description").asText()).contains("no-such-service");
	}

	@Test
	void provisionWithUnknownPlanIdAnswers400NamingTheId() {
		ResponseEntity<JsonNode> response = provision(PROVISION.replace(SMALL, "no-such-plan"));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().path("description").asText()).contains("no-such-plan");
	}

	@Test
	void provisionWithSameIdAndOtherPlanAnswers409WithoutTouchingMarathon() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(MEDIUM, "PROVISION", "SUCCEEDED"));
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(this.marathon.createdApps()).isEmpty();
	}

	@Test
	void provisionThatLosesConsulCasToAnIdenticalRequestAnswers202WithoutSecondApp() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		this.consul.createLosesTheRace(INSTANCE_KEY);
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(response.getBody().path("operation").asText()).isEqualTo("provision");
		assertThat(this.marathon.createdApps()).isEmpty();
	}

	@Test
	void provisionWhenMarathonAnswers503Answers503NamingMarathonAndRecordsTheFailure() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		this.consul.createWins(INSTANCE_KEY);
		this.consul.acceptsWrites();
		this.marathon.failsWith503OnNewApp();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("description").asText())
			.contains("Marathon at " + marathonServer.baseUrl() + " answered 503")
			.doesNotContain("Exception");
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"FAILED\"");

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(lastOperation("provision").subList(0, 2)).containsExactly(HttpStatus.OK, "failed");
	}

	@Test
	void provisionWhenMarathonRejectsTheAppDefinitionSaysRetryingWillNotHelpAndRecordsTheFailure() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		this.consul.createWins(INSTANCE_KEY);
		this.consul.acceptsWrites();
		this.marathon.rejectsNewAppAsInvalid();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("description").asText())
			.contains("Marathon at " + marathonServer.baseUrl() + " answered 422")
			.contains("/upgradeStrategy/minimumHealthCapacity")
			.contains("retrying will not help: check MARATHON_URL");
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"FAILED\"");
	}

	@Test
	void provisionWhenConsulIsUnreachableAnswers503NamingConsulAndCallsNoMarathon() {
		this.consul.writesFailWithConnectionReset();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("description").asText())
			.contains("Consul at " + consulServer.baseUrl() + " is unreachable")
			.contains("CONSUL_URL");
		assertThat(this.marathon.createdApps()).isEmpty();
	}

	@Test
	void lastOperationReportsMarathonTaskFailureInItsWords() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		this.consul.acceptsWrites();
		this.marathon.appTaskFailed(APP_ID);
		assertThat(lastOperation("provision")).containsExactly(HttpStatus.OK, "failed",
				"Redis task failed: Failed to launch container: redis-server exited with status 1");
	}

	@Test
	void lastOperationWhenMarathonIsUnreachableAnswers503NamingMarathon() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		marathonServer.allow(com.github.tomakehurst.wiremock.client.WireMock
			.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
			.willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
				.withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE)));
		assertThat(lastOperation("provision").get(0)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

	@Test
	void lastOperationForUnknownInstanceWithoutDeleteAnswers400() {
		this.consul.keyIsAbsent(INSTANCE_KEY);
		assertThat(lastOperation("provision").get(0)).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void updateWhileMarathonAppIsLockedAnswers422ConcurrencyErrorAndWritesNothing() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "SUCCEEDED"));
		this.marathon.appIsLockedByDeployment(APP_ID);
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PATCH,
				INSTANCE_PATH + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM + "\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("ConcurrencyError");
		assertThat(response.getBody().path("description").asText())
			.contains("App is locked by one or more deployments");
		assertThat(this.consul.writes(INSTANCE_KEY)).isEmpty();
	}

	@Test
	void updateToUnknownPlanAnswers400NamingThePlan() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "SUCCEEDED"));
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PATCH,
				INSTANCE_PATH + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"no-such-plan\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody().path("description").asText()).contains("no-such-plan");
	}

	@Test
	void deprovisionOfUnknownInstanceAnswers410() {
		this.consul.keyIsAbsent(INSTANCE_KEY);
		assertThat(this.broker.call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null)
			.getStatusCode()).isEqualTo(HttpStatus.GONE);
	}

	@Test
	void deprovisionWhenMarathonNoLongerHasTheAppAnswers202() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "FAILED"));
		this.consul.acceptsWrites();
		this.marathon.appIsAlreadyGoneOnDelete(APP_ID);
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.DELETE,
				INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"DEPROVISION\"");
	}

	@Test
	void deprovisionWithoutAcceptsIncompleteAnswers422AsyncRequired() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY, null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("AsyncRequired");
	}

	@Test
	void getInstanceStillProvisioningAnswers404() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		assertThat(this.broker.call(HttpMethod.GET, INSTANCE_PATH, null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void getProvisionedInstanceAnswers200WithItsPlan() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "SUCCEEDED"));
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, INSTANCE_PATH, null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().path("plan_id").asText()).isEqualTo(SMALL);
	}

	@Test
	void bindToInstanceStillProvisioningAnswers422ConcurrencyError() {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "IN_PROGRESS"));
		this.consul.keyIsAbsent(BINDING_KEY);
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(response.getBody().path("error").asText()).isEqualTo("ConcurrencyError");
	}

	@Test
	void bindWithSameIdForAnotherAppAnswers409() throws Exception {
		this.consul.keyHolds(INSTANCE_KEY, instanceRecord(SMALL, "PROVISION", "SUCCEEDED"));
		this.consul.keyHolds(BINDING_KEY, "{\"bindingId\":\"b-1\",\"instanceId\":\"" + ID
				+ "\",\"appGuid\":\"another-app\",\"parameters\":{},\"credentials\":{}}");
		assertThat(this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
	}

	@Test
	void getUnknownBindingAnswers404() {
		this.consul.keyIsAbsent(BINDING_KEY);
		assertThat(this.broker.call(HttpMethod.GET, BINDING_PATH, null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void unbindOfUnknownBindingAnswers410() {
		this.consul.keyIsAbsent(BINDING_KEY);
		assertThat(this.broker.call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null).getStatusCode())
			.isEqualTo(HttpStatus.GONE);
	}

}
