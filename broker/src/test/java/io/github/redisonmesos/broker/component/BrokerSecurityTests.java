package io.github.redisonmesos.broker.component;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Basic auth (cheap and never re-encoded), the API version header, the open health
 * endpoint and the metrics behind the broker's credentials.
 */
class BrokerSecurityTests extends WireMockBrokerTestSupport {

	@Autowired
	private UserDetailsService users;

	@Autowired
	private ApplicationContext context;

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
		// the broker's own background rounds may ask Consul or Marathon meanwhile: what
		// counts is that nothing was asked about this instance
		assertThat(aboutTheInstance(consulServer)).isEmpty();
		assertThat(aboutTheInstance(marathonServer)).isEmpty();
	}

	private static List<String> aboutTheInstance(StubRegistry server) {
		return server.served()
			.stream()
			.map((event) -> event.getRequest().getUrl() + " " + event.getRequest().getBodyAsString())
			.filter((request) -> request.contains(ID))
			.toList();
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
		this.marathon.answersPing();
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody().path("status").asText()).isEqualTo("UP");
		assertThat(response.getBody().path("components").path("consul").path("status").asText()).isEqualTo("UP");
		assertThat(response.getBody().path("components").path("marathon").path("status").asText()).isEqualTo("UP");
	}

	@Test
	void healthIsDownWhenMarathonFails() {
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("components").path("marathon").path("status").asText()).isEqualTo("DOWN");
	}

	@Test
	void prometheusNeedsTheBrokerCredentialsAndShowsTheBrokerMetrics() {
		assertThat(this.broker.call(HttpMethod.GET, "/actuator/prometheus", null, null, false).getStatusCode())
			.isEqualTo(HttpStatus.UNAUTHORIZED);
		this.broker.call(HttpMethod.GET, "/v2/catalog", null);
		this.broker.call(HttpMethod.GET, "/v2/catalog", null, "2.16", false);
		String metrics = this.broker.text("/actuator/prometheus");
		assertThat(metrics)
			.contains("osb_requests_seconds_count{operation=\"catalog\",outcome=\"SUCCESS\",status=\"200\"}")
			.contains("osb_requests_seconds_count{operation=\"catalog\",outcome=\"CLIENT_ERROR\",status=\"401\"}")
			.contains("broker_orphans{kind=\"app\"}")
			.contains("broker_instances{state=\"ready\"}");
	}

	@Test
	void requestsNeverReEncodeTheBrokerPassword() {
		String stored = this.users.loadUserByUsername(BrokerApi.USERNAME).getPassword();
		for (int i = 0; i < 3; i++) {
			assertThat(this.broker.call(HttpMethod.GET, "/v2/catalog", null).getStatusCode()).isEqualTo(HttpStatus.OK);
		}
		// Spring Security "upgrades" a password (to BCrypt, costing tens of milliseconds
		// a request from then on) only through a UserDetailsPasswordService
		assertThat(this.context.getBeansOfType(UserDetailsPasswordService.class)).isEmpty();
		assertThat(this.users.loadUserByUsername(BrokerApi.USERNAME).getPassword()).isEqualTo(stored)
			.hasSize(64)
			.doesNotStartWith("{");
	}

}
