package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Consul with ACLs: the broker's token goes with every Consul request and nowhere else,
 * bound apps get their own token, and a denied token is reported by its variable, never
 * by its value. {@link BrokerComponentTests} covers the broker without tokens.
 */
@WithConsulTokens
class ConsulAclTokenTests extends WireMockBrokerTestSupport {

	@Test
	void everyConsulRequestOfTheLifecycleAndTheHealthCheckCarriesTheBrokerToken() {
		this.marathon.listsApps();
		this.consul.agentIsInDatacenterDc1();
		assertThat(this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		runWholeLifecycle();

		assertThat(consulServer.served()).extracting((event) -> event.getRequest().getMethod().getName())
			.contains("GET", "PUT", "DELETE");
		assertThat(consulServer.served()).extracting((event) -> event.getRequest().getUrl())
			.anyMatch((url) -> url.startsWith("/v1/agent/self"))
			.anyMatch((url) -> url.startsWith("/v1/health/service/"))
			.anyMatch((url) -> url.endsWith("?recurse"));
		assertThat(consulServer.served())
			.allMatch((event) -> WithConsulTokens.BROKER_TOKEN.equals(event.getRequest().getHeader("X-Consul-Token")));
		// the header belongs to Consul's client only
		assertThat(marathonServer.served()).isNotEmpty()
			.noneMatch((event) -> event.getRequest().containsHeader("X-Consul-Token"));
	}

	@Test
	void bindHandsOutTheAppTokenAsConsulToken() {
		ResponseEntity<JsonNode> response = bindToProvisionedInstance();
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(response.getBody().path("credentials").path("consul_token").asText())
			.isEqualTo(WithConsulTokens.APP_TOKEN);
	}

	@Test
	void healthShowsNeitherToken() {
		this.marathon.listsApps();
		this.consul.agentIsInDatacenterDc1();
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false);
		assertThat(response.getBody().path("components").path("consul").path("status").asText()).isEqualTo("UP");
		assertThat(response.getBody().toString()).doesNotContain(WithConsulTokens.BROKER_TOKEN)
			.doesNotContain(WithConsulTokens.APP_TOKEN);
	}

	@Test
	void provisionWhenConsulDeniesTheWriteAnswers503NamingConsulItsUrlAndConsulTokenButNotTheToken() {
		this.consul.writesAreDeniedAsPermissionDenied();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("description").asText())
			.contains("Consul at " + consulServer.baseUrl() + " answered 403 (Permission denied")
			.contains("check CONSUL_TOKEN")
			.doesNotContain(WithConsulTokens.BROKER_TOKEN)
			.doesNotContain("CONSUL_URL");
		assertThat(this.marathon.createdApps()).isEmpty();
	}

	@Test
	void bindWhenConsulDoesNotKnowTheTokenAnswers503NamingConsulItsUrlAndConsulTokenButNotTheToken() {
		this.consul.readsAreDeniedAsAclNotFound();
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().path("description").asText())
			.contains("Consul at " + consulServer.baseUrl() + " answered 403 (ACL not found)")
			.contains("check CONSUL_TOKEN")
			.doesNotContain(WithConsulTokens.BROKER_TOKEN)
			.doesNotContain(WithConsulTokens.APP_TOKEN);
	}

}
