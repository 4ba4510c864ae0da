package io.github.redisonmesos.broker.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code maintenance_info} over HTTP through the framework's controllers, with the bodies
 * Cloud Controller sends (OSB 2.15+, "Maintenance Info" and the 422
 * {@code MaintenanceInfoConflict} error): osb-checker has no such cases.
 */
class MaintenanceInfoHttpTests extends WireMockBrokerTestSupport {

	private static final String SHIPPED_IMAGE = "redis@sha256:0637954999d01b7c9ce9167db2da50656e2590d3b884f1c600c5f63bb6e6773c";

	@Test
	void everyPlanAdvertisesTheVersionAndWhatItRuns() {
		JsonNode plans = this.broker.call(HttpMethod.GET, "/v2/catalog", null)
			.getBody()
			.path("services")
			.get(0)
			.path("plans");
		assertThat(plans).hasSize(4).allSatisfy((plan) -> {
			assertThat(plan.path("maintenance_info").path("version").asText()).isEqualTo("1.0.0");
			assertThat(plan.path("maintenance_info").path("description").asText())
				.startsWith("Redis image " + SHIPPED_IMAGE + "; node templates sha256:");
		});
	}

	@Test
	void aProvisionWithAnotherVersionAnswers422MaintenanceInfoConflictAndCreatesNothing() {
		ResponseEntity<JsonNode> refused = provision(PROVISION.replaceFirst("}$",
				",\"maintenance_info\":{\"version\":" + "\"0.9.0\",\"description\":\"what the platform last read\"}}"));
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(refused.getBody().path("error").asText()).isEqualTo("MaintenanceInfoConflict");
		assertThat(refused.getBody().path("description").asText()).contains("'0.9.0'")
			.contains("plan small's 1.0.0")
			.contains("fetch the catalog again");
		assertThat(this.consul.kv()).doesNotContainKey(INSTANCE_KEY);
		assertThat(this.marathon.createdApps()).isEmpty();
	}

	@Test
	void theInstanceAnswersItsVersionAndAnUpdateWithAnotherIsRefusedWithItsOwnIsANoOp() {
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION.replaceFirst("}$", ",\"maintenance_info\":{\"version\":\"1.0.0\"}}"))
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.marathon.appIsHealthy(APP_ID);
		this.consul.serviceIsPassingAt(SERVICE, "127.0.0.1", 31000);
		assertThat(lastOperation("provision")).contains("succeeded");
		JsonNode instance = this.broker.call(HttpMethod.GET, INSTANCE_PATH, null).getBody();
		assertThat(instance.path("maintenance_info").path("version").asText()).isEqualTo("1.0.0");
		assertThat(instance.path("plan_id").asText()).isEqualTo(SMALL);

		ResponseEntity<JsonNode> newer = this.broker.call(HttpMethod.PATCH, INSTANCE_PATH + "?accepts_incomplete=true",
				upgradeBody("1.0.0", "1.1.0"));
		assertThat(newer.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(newer.getBody().path("error").asText()).isEqualTo("MaintenanceInfoConflict");
		assertThat(newer.getBody().path("description").asText()).contains("'1.1.0'").contains("Nothing was changed");

		ResponseEntity<JsonNode> same = this.broker.call(HttpMethod.PATCH, INSTANCE_PATH + "?accepts_incomplete=true",
				upgradeBody("1.0.0", "1.0.0"));
		assertThat(same.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.marathon.updatedApps(APP_ID)).isEmpty();
	}

	// cf upgrade-service: the plan stays, the catalog's version, the instance's before
	private static String upgradeBody(String previous, String version) {
		return "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
				+ "\",\"context\":{\"platform\":\"cloudfoundry\",\"organization_guid\":\"org-1\",\"space_guid\":"
				+ "\"space-1\"},\"previous_values\":{\"plan_id\":\"" + SMALL + "\",\"service_id\":\"" + SERVICE_ID
				+ "\",\"organization_id\":\"org-1\",\"space_id\":\"space-1\",\"maintenance_info\":{\"version\":\""
				+ previous + "\"}},\"maintenance_info\":{\"version\":\"" + version + "\"}}";
	}

}
