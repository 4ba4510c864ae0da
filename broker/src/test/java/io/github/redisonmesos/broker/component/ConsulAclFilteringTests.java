package io.github.redisonmesos.broker.component;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a broker token whose policy misses a rule the shipped one has: Consul filters the
 * service out of its listings silently (200, no entries) and says so only in the
 * X-Consul-Results-Filtered-By-ACLs header. The step that reads the listing fails at
 * once, naming the permission to grant, instead of waiting for the provision's timeout.
 */
@WithConsulTokens
class ConsulAclFilteringTests extends WireMockBrokerTestSupport {

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final String SENTINELS = "sntnl-" + ID;

	private static final String PROVISION_HA = PROVISION.replace(SMALL, HA);

	@Test
	void haProvisionWhoseTokenCannotReadTheSentinelServiceFailsNamingThePermissionNotATimeout() {
		// nothing registered yet: nothing to filter, and Consul sets no header
		this.consul.serviceHasNoInstances(SERVICE);
		this.consul.serviceHasNoInstances(SENTINELS);
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION_HA).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		// node-0 runs and its Sentinel registered, but the token cannot see it
		this.marathon.appIsHealthy(APP_ID + "/node-0");
		this.marathon.appDoesNotExist(APP_ID + "/node-1");
		this.marathon.appDoesNotExist(APP_ID + "/node-2");
		this.consul.serviceIsFilteredOutByAcls(SENTINELS);

		List<Object> poll = lastOperation("provision");

		assertThat(poll.subList(0, 2)).containsExactly(HttpStatus.OK, "failed");
		assertThat((String) poll.get(2))
			.isEqualTo("Consul filtered service " + SENTINELS
					+ " out of its answer (X-Consul-Results-Filtered-By-ACLs): CONSUL_TOKEN needs service:read on \""
					+ SENTINELS + "\" and node:read on the nodes it runs on (manifests/consul/broker-policy.hcl: "
					+ "service_prefix \"sntnl-\" and node_prefix \"\" with policy \"read\"); retrying will not help "
					+ "until the token's policy grants them.")
			.doesNotContain(WithConsulTokens.BROKER_TOKEN);
		// the failure is recorded: the next poll says the same without asking again
		assertThat(lastOperation("provision")).isEqualTo(poll);
	}

	@Test
	void singleRedisProvisionWhoseTokenCannotReadTheRedisServiceFailsNamingThePermission() {
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.marathon.appIsHealthy(APP_ID);
		this.consul.serviceIsFilteredOutByAcls(SERVICE);

		List<Object> poll = lastOperation("provision");

		assertThat(poll.subList(0, 2)).containsExactly(HttpStatus.OK, "failed");
		assertThat((String) poll.get(2)).startsWith("Consul filtered service " + SERVICE + " out of its answer")
			.contains("service:read on \"" + SERVICE + "\"", "node:read", "service_prefix \"redis-\"");
	}

	@Test
	void aListingWithoutTheHeaderStillWaitsAsForAServiceNotRegisteredYet() {
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.marathon.appIsHealthy(APP_ID);
		this.consul.serviceHasNoInstances(SERVICE);

		assertThat(lastOperation("provision"))
			.isEqualTo(List.of(HttpStatus.OK, "in progress", "waiting for Consul to list Redis as passing"));
	}

	@Test
	void bindWhenConsulFiltersTheRedisServiceIs500NamingThePermissionNot503() {
		provisioned();
		this.consul.serviceIsFilteredOutByAcls(SERVICE);

		ResponseEntity<JsonNode> response = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(response.getBody().path("description").asText())
			.startsWith("Consul filtered service " + SERVICE + " out of its answer")
			.contains("CONSUL_TOKEN needs service:read")
			.doesNotContain(WithConsulTokens.BROKER_TOKEN);
		assertThat(this.consul.kv().keySet()).noneMatch((key) -> key.contains("/bindings/"));
	}

}
