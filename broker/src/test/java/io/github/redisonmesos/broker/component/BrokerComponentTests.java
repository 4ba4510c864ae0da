package io.github.redisonmesos.broker.component;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.marathon.MarathonSchema;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole OSB lifecycle over HTTP, with Marathon and Consul in WireMock.
 */
class BrokerComponentTests extends WireMockBrokerTestSupport {

	@Test
	void wholeLifecycleFromCatalogToGone() throws Exception {
		ResponseEntity<JsonNode> catalog = this.broker.call(HttpMethod.GET, "/v2/catalog", null);
		assertThat(catalog.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode service = catalog.getBody().path("services").get(0);
		assertThat(service.path("id").asText()).isEqualTo(SERVICE_ID);
		assertThat(service.path("name").asText()).isEqualTo("redis");
		assertThat(service.path("plans").findValuesAsText("name")).containsExactly("small", "medium", "large");

		this.consul.acceptsWrites();
		this.marathon.acceptsNewApp();
		ResponseEntity<JsonNode> provision = provision(PROVISION);
		assertThat(provision.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(provision.getBody().path("operation").asText()).isEqualTo("provision");
		assertThat(this.consul.writes(INSTANCE_KEY).get(0).getQueryParams().get("cas").firstValue()).isEqualTo("0");
		assertThat(this.marathon.createdApps()).hasSize(1);
		JsonNode app = this.objectMapper.readTree(this.marathon.createdApps().get(0).getBodyAsString());
		assertThat(MarathonSchema.violations(app)).isEmpty();
		assertThat(app.path("id").asText()).isEqualTo(APP_ID);

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.appIsDeploying(APP_ID);
		assertThat(lastOperation("provision"))
			.isEqualTo(List.of(HttpStatus.OK, "in progress", "waiting for Marathon to start the Redis task"));

		this.marathon.appIsHealthy(APP_ID);
		this.consul.serviceIsPassing(SERVICE);
		assertThat(lastOperation("provision")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));
		assertThat(this.consul.lastWrite(INSTANCE_KEY)).contains("\"SUCCEEDED\"");

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.OK);

		this.consul.keyIsAbsent(BINDING_KEY);
		this.consul.agentIsInDatacenterDc1();
		ResponseEntity<JsonNode> bind = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);
		assertThat(bind.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		JsonNode credentials = bind.getBody().path("credentials");
		String password = this.objectMapper.readTree(this.consul.lastWrite(INSTANCE_KEY)).path("password").asText();
		assertThat(credentials.path("host").asText()).isEqualTo("10.1.10.12");
		assertThat(credentials.path("port").isInt()).isTrue();
		assertThat(credentials.path("port").asInt()).isEqualTo(8000);
		assertThat(credentials.path("password").asText()).isEqualTo(password).hasSizeGreaterThanOrEqualTo(32);
		assertThat(credentials.path("uri").asText()).isEqualTo("redis://:" + password + "@10.1.10.12:8000");
		assertThat(credentials.path("consul_url").asText()).isEqualTo("http://consul.service.example:8500");
		assertThat(credentials.path("consul_datacenter").asText()).isEqualTo("dc1");
		assertThat(credentials.path("consul_service").asText()).isEqualTo(SERVICE);
		assertThat(this.consul.writes(BINDING_KEY).get(0).getQueryParams().get("cas").firstValue()).isEqualTo("0");

		this.consul.keyHoldsWhatTheBrokerWrote(BINDING_KEY);
		ResponseEntity<JsonNode> binding = this.broker.call(HttpMethod.GET, BINDING_PATH, null);
		assertThat(binding.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(binding.getBody().path("credentials")).isEqualTo(credentials);
		assertThat(this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND).getStatusCode()).isEqualTo(HttpStatus.OK);

		this.marathon.acceptsAppUpdate(APP_ID);
		ResponseEntity<JsonNode> update = this.broker.call(HttpMethod.PATCH, INSTANCE_PATH + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM + "\"}");
		assertThat(update.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(update.getBody().path("operation").asText()).isEqualTo("update");
		JsonNode updated = this.objectMapper.readTree(this.marathon.updatedApps(APP_ID).get(0).getBodyAsString());
		assertThat(MarathonSchema.violations(updated)).isEmpty();
		assertThat(updated.path("mem").asInt()).isEqualTo(512);
		assertThat(updated.path("container").path("volumes").get(0).path("external").path("name").asText())
			.isEqualTo("osb-redis-" + ID);
		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(lastOperation("update")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));

		this.consul.acceptsDeletes();
		ResponseEntity<JsonNode> unbind = this.broker.call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null);
		assertThat(unbind.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(unbind.getBody().isEmpty()).isTrue();

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.acceptsAppDeletion(APP_ID);
		ResponseEntity<JsonNode> deprovision = this.broker.call(HttpMethod.DELETE,
				INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null);
		assertThat(deprovision.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(deprovision.getBody().path("operation").asText()).isEqualTo("deprovision");

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(lastOperation("deprovision"))
			.isEqualTo(List.of(HttpStatus.OK, "in progress", "waiting for Marathon to remove the Redis app " + APP_ID));
		this.marathon.appDoesNotExist(APP_ID);
		this.consul.serviceHasNoInstances(SERVICE);
		assertThat(lastOperation("deprovision").get(0)).isEqualTo(HttpStatus.GONE);

		this.consul.keyIsAbsent(INSTANCE_KEY);
		assertThat(lastOperation("deprovision").get(0)).isEqualTo(HttpStatus.GONE);
		assertThat(orderOf(consulServer.served(), "DELETE /v1/kv/osb-redis/bindings/" + ID + "/"))
			.isLessThan(orderOf(consulServer.served(), "DELETE /v1/kv/" + INSTANCE_KEY));
	}

	@Test
	void withoutConsulTokenNoConsulRequestCarriesTheTokenHeader() {
		this.marathon.listsApps();
		this.consul.agentIsInDatacenterDc1();
		assertThat(this.broker.call(HttpMethod.GET, "/actuator/health", null, null, false).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		runWholeLifecycle();
		assertThat(consulServer.served()).isNotEmpty()
			.noneMatch((event) -> event.getRequest().containsHeader("X-Consul-Token"));
	}

	@Test
	void withoutConsulAppTokenBindCredentialsHaveNoConsulTokenKey() {
		ResponseEntity<JsonNode> response = bindToProvisionedInstance();
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(response.getBody().path("credentials").has("consul_url")).isTrue();
		assertThat(response.getBody().path("credentials").has("consul_token")).isFalse();
	}

}
