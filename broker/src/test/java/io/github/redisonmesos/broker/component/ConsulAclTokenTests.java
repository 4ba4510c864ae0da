package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Consul ACLs: the broker's token on every Consul call, the app token in the
 * credentials only, and a refused token named by its variable, never by its value.
 */
@WithConsulTokens
class ConsulAclTokenTests extends WireMockBrokerTestSupport {

	@Test
	void everyConsulRequestOfTheLifecycleCarriesTheBrokerTokenAndBindHandsOutTheAppToken() {
		JsonNode credentials = runWholeLifecycle();
		// one snapshot of the requests about this instance: the Consul stub serves
		// every cached broker context of this JVM, and those of other classes (without
		// tokens) go on with their background rounds meanwhile (a clean-clone
		// simulation saw one's listing of instances during this test). Every request
		// passes through the one client that adds the token (RestConsulClientTests).
		assertThat(this.consul.requests()).filteredOn((request) -> request.getUrl().contains(ID))
			.isNotEmpty()
			.allSatisfy((request) -> assertThat(request.getHeader("X-Consul-Token"))
				.isEqualTo(WithConsulTokens.BROKER_TOKEN));
		assertThat(credentials.path("consul_token").asText()).isEqualTo(WithConsulTokens.APP_TOKEN);
		assertThat(everythingInConsul()).doesNotContain(WithConsulTokens.APP_TOKEN);
	}

	@Test
	void healthShowsNeitherToken() {
		this.marathon.answersPing();
		String health = this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false).getBody().toString();
		assertThat(health).doesNotContain(WithConsulTokens.BROKER_TOKEN).doesNotContain(WithConsulTokens.APP_TOKEN);
	}

	@Test
	void provisionWhenConsulDeniesTheWriteIs500NamingConsulTokenButNotTheToken() {
		this.consul.writesAreDeniedAsPermissionDenied();
		ResponseEntity<JsonNode> response = provision(PROVISION);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(response.getBody().path("description").asText())
			.contains("Consul at " + consulServer.baseUrl(), "403", "CONSUL_TOKEN", "retrying will not help")
			.doesNotContain(WithConsulTokens.BROKER_TOKEN);
		assertThat(marathonServer.served()).isEmpty();
	}

	@Test
	void bindWhenConsulDoesNotKnowTheTokenIs500NamingConsulTokenButNotTheToken() {
		this.consul.readsAreDeniedAsAclNotFound();
		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(response.getBody().path("description").asText()).contains("ACL not found", "CONSUL_TOKEN")
			.doesNotContain(WithConsulTokens.BROKER_TOKEN);
	}

}
