package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Basic auth, the API version header and the open health endpoint.
 */
class BrokerSecurityTests extends WireMockBrokerTestSupport {

	@Test
	void catalogWithoutCredentialsAnswers401WithChallengeAndDescription() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/v2/catalog", null, "2.16", false);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(response.getHeaders().getFirst("WWW-Authenticate")).startsWith("Basic ");
		assertThat(response.getBody().path("description").asText()).contains("BROKER_USERNAME");
	}

	@Test
	void provisionWithoutCredentialsAnswers401AndReachesNoDependency() {
		assertThat(
				this.broker.call(HttpMethod.PUT, INSTANCE_PATH + "?accepts_incomplete=true", PROVISION, "2.16", false)
					.getStatusCode())
			.isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(consulServer.served()).isEmpty();
		assertThat(marathonServer.served()).isEmpty();
	}

	@Test
	void requestWithoutApiVersionHeaderAnswers412WithDescription() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/v2/catalog", null, null, true);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
		assertThat(response.getBody().path("description").asText()).contains("2.x");
	}

	@Test
	void requestWithAnotherMajorApiVersionAnswers412() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/v2/catalog", null, "3.0", true);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
		assertThat(response.getBody().path("description").asText()).contains("3.0");
	}

	@Test
	void requestWithANewerMinorApiVersionIsServed() {
		assertThat(this.broker.call(HttpMethod.GET, "/v2/catalog", null, "2.17", true).getStatusCode())
			.isEqualTo(HttpStatus.OK);
	}

	@Test
	void healthNeedsNoCredentialsAndReportsConsulAndMarathon() {
		this.marathon.listsApps();
		this.consul.agentIsInDatacenterDc1();
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().path("status").asText()).isEqualTo("UP");
		assertThat(response.getBody().path("components").path("consul").path("status").asText()).isEqualTo("UP");
		assertThat(response.getBody().path("components").path("marathon").path("status").asText()).isEqualTo("UP");
	}

	@Test
	void healthIsDownWhenMarathonFails() {
		this.consul.agentIsInDatacenterDc1();
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("components").path("marathon").path("status").asText()).isEqualTo("DOWN");
	}

}
