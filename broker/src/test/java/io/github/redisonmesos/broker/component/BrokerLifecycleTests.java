package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.redisonmesos.broker.marathon.MarathonSchema;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import redis.clients.jedis.exceptions.JedisAccessControlException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole lifecycle over HTTP, and what it leaves behind in Marathon, Consul and Redis.
 */
class BrokerLifecycleTests extends WireMockBrokerTestSupport {

	@Autowired
	private AsyncDispatches asyncDispatches;

	@Test
	void theControllersMonosAreAnsweredInTheRequestThreadWithoutASecondDispatch() {
		int before = this.asyncDispatches.count();
		ResponseEntity<JsonNode> catalog = this.broker.call(HttpMethod.GET, "/v2/catalog", null);
		assertThat(catalog.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(catalog.getBody().path("services").get(0).path("name").asText()).isEqualTo("redis");
		assertThat(this.broker.call(HttpMethod.GET, INSTANCE_PATH + "/last_operation", null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.asyncDispatches.count()).isEqualTo(before);
	}

	@Test
	void wholeLifecycleFromCatalogToGone() throws Exception {
		JsonNode credentials = runWholeLifecycle();
		// what reached Marathon: a definition its schema accepts, without any password
		LoggedRequest created = this.marathon.createdApps().get(0);
		JsonNode app = this.objectMapper.readTree(created.getBodyAsString());
		assertThat(MarathonSchema.violations(app)).isEmpty();
		assertThat(created.getBodyAsString()).doesNotContain(credentials.path("password").asText());
		// the unbound user is gone from Redis
		assertThatExceptionOfType(JedisAccessControlException.class).isThrownBy(() -> connect(credentials).close());
		// what stays in Consul: the tombstone of the deprovision, holding no secret
		assertThat(this.consul.kv()).containsOnlyKeys(INSTANCE_KEY);
		assertThat(everythingInConsul()).doesNotContain(credentials.path("password").asText())
			.doesNotContain(adminPassword());
		assertThat(credentials.has("consul_token")).isFalse();
		// the operations are counted, the asynchronous (Mono) answers included
		String metrics = this.broker.text("/actuator/prometheus");
		assertThat(metrics)
			.contains("osb_requests_seconds_count{operation=\"provision\",outcome=\"SUCCESS\",status=\"202\"}")
			.contains("osb_requests_seconds_count{operation=\"bind\",outcome=\"SUCCESS\",status=\"201\"}")
			.contains(
					"osb_requests_seconds_count{operation=\"last_operation\",outcome=\"CLIENT_ERROR\",status=\"410\"}")
			.contains("broker_operations_seconds_count{state=\"succeeded\",type=\"provision\"}")
			.contains("broker_operations_seconds_count{state=\"succeeded\",type=\"deprovision\"}")
			.containsPattern(
					"broker_remote_calls_seconds_count\\{call=\"app_create\",outcome=\"success\",service=\"marathon\"}");
	}

}
