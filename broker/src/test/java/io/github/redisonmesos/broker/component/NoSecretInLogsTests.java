package io.github.redisonmesos.broker.component;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret ever reaches a log line: the whole lifecycle runs with the broker's entire
 * output captured, which then holds neither the Redis password nor the broker's own.
 * {@link NoSecretInDebugLogsTests} repeats this with DEBUG switched on.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretInLogsTests extends WireMockBrokerTestSupport {

	@Autowired
	protected LoggingSystem loggingSystem;

	@Test
	void wholeLifecycleLogsNeitherTheRedisPasswordNorTheBrokerPassword(CapturedOutput output) throws Exception {
		assertLogLevels();
		String redisPassword = runWholeLifecycle();
		String basicAuth = Base64.getEncoder()
			.encodeToString((BrokerApi.USERNAME + ":" + BrokerApi.PASSWORD).getBytes(StandardCharsets.UTF_8));
		// the capture works: the broker's own lines of this lifecycle are in it
		assertThat(output.getAll()).contains("operation=bind instance_id=" + ID)
			.contains("operation=deprovision state=succeeded instance_id=" + ID);
		assertThat(output.getAll()).doesNotContain(redisPassword)
			.doesNotContain(BrokerApi.PASSWORD)
			.doesNotContain(basicAuth);
	}

	/** The levels this class runs at; the framework's logger is never below INFO. */
	protected void assertLogLevels() {
		assertThat(effectiveLevel("io.github.redisonmesos")).isEqualTo(LogLevel.INFO);
		assertThat(
				effectiveLevel("org.springframework.cloud.servicebroker.controller.ServiceInstanceBindingController"))
			.isEqualTo(LogLevel.INFO);
	}

	protected LogLevel effectiveLevel(String logger) {
		return this.loggingSystem.getLoggerConfiguration(logger).getEffectiveLevel();
	}

	/**
	 * Provision, poll, bind, get binding, update, unbind, deprovision, poll to gone.
	 * @return the Redis password from the bind credentials
	 */
	private String runWholeLifecycle() throws Exception {
		this.consul.acceptsWrites();
		this.marathon.acceptsNewApp();
		assertThat(provision(PROVISION).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.appIsHealthy(APP_ID);
		this.consul.serviceIsPassing(SERVICE);
		assertThat(lastOperation("provision")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.consul.keyIsAbsent(BINDING_KEY);
		this.consul.agentIsInDatacenterDc1();
		JsonNode bind = this.broker.call(HttpMethod.PUT, BINDING_PATH, BIND).getBody();
		String redisPassword = bind.path("credentials").path("password").asText();
		assertThat(redisPassword).hasSizeGreaterThanOrEqualTo(32);

		this.consul.keyHoldsWhatTheBrokerWrote(BINDING_KEY);
		assertThat(this.broker.call(HttpMethod.GET, BINDING_PATH, null).getBody().path("credentials"))
			.isEqualTo(bind.path("credentials"));

		this.marathon.acceptsAppUpdate(APP_ID);
		assertThat(this.broker
			.call(HttpMethod.PATCH, INSTANCE_PATH + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + MEDIUM + "\"}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		assertThat(lastOperation("update")).isEqualTo(List.of(HttpStatus.OK, "succeeded", "Redis is running"));

		this.consul.acceptsDeletes();
		assertThat(this.broker.call(HttpMethod.DELETE, BINDING_PATH + DELETE_QUERY, null).getStatusCode())
			.isEqualTo(HttpStatus.OK);

		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.acceptsAppDeletion(APP_ID);
		assertThat(this.broker.call(HttpMethod.DELETE, INSTANCE_PATH + DELETE_QUERY + "&accepts_incomplete=true", null)
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		this.consul.keyHoldsWhatTheBrokerWrote(INSTANCE_KEY);
		this.marathon.appDoesNotExist(APP_ID);
		this.consul.serviceHasNoInstances(SERVICE);
		assertThat(lastOperation("deprovision").get(0)).isEqualTo(HttpStatus.GONE);
		return redisPassword;
	}

}
