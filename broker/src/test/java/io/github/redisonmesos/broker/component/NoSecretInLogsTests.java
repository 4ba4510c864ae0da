package io.github.redisonmesos.broker.component;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret ever reaches a log line: the whole lifecycle runs, with both Consul ACL
 * tokens set, and the broker's entire output captured, which then holds neither the Redis
 * password nor the broker's own nor either token. {@link NoSecretInDebugLogsTests}
 * repeats this with DEBUG switched on.
 */
@ExtendWith(OutputCaptureExtension.class)
@WithConsulTokens
class NoSecretInLogsTests extends WireMockBrokerTestSupport {

	@Autowired
	protected LoggingSystem loggingSystem;

	@Test
	void wholeLifecycleLogsNoRedisPasswordNorTheBrokerPasswordNorAConsulTokenNorTheSecretsKey(CapturedOutput output) {
		assertLogLevels();
		JsonNode credentials = runWholeLifecycle();
		String redisPassword = credentials.path("password").asText();
		String adminPassword = adminPassword();
		String basicAuth = Base64.getEncoder()
			.encodeToString((BrokerApi.USERNAME + ":" + BrokerApi.PASSWORD).getBytes(StandardCharsets.UTF_8));
		// the capture works: the broker's own lines of this lifecycle are in it
		assertThat(output.getAll()).contains("operation=bind instance_id=" + ID)
			.contains("operation=deprovision state=succeeded instance_id=" + ID);
		// both tokens were in use: sent to Consul and handed out
		assertThat(this.consul.requestsWithToken(WithConsulTokens.BROKER_TOKEN)).isNotEmpty();
		assertThat(credentials.path("consul_token").asText()).isEqualTo(WithConsulTokens.APP_TOKEN);
		assertThat(output.getAll()).doesNotContain(redisPassword)
			.doesNotContain(adminPassword)
			.doesNotContain(io.github.redisonmesos.broker.security.TestSecrets.KEY)
			.doesNotContain(BrokerApi.PASSWORD)
			.doesNotContain(basicAuth)
			.doesNotContain(WithConsulTokens.BROKER_TOKEN)
			.doesNotContain(WithConsulTokens.APP_TOKEN);
	}

	/**
	 * The levels this class runs at, application.yml's: the broker's at INFO, the
	 * framework's controllers at WARN (never below INFO, whatever the test before left in
	 * the logging system).
	 */
	protected void assertLogLevels() {
		assertThat(effectiveLevel("io.github.redisonmesos")).isEqualTo(LogLevel.INFO);
		assertThat(
				effectiveLevel("org.springframework.cloud.servicebroker.controller.ServiceInstanceBindingController"))
			.isGreaterThanOrEqualTo(LogLevel.INFO);
	}

	protected LogLevel effectiveLevel(String logger) {
		return this.loggingSystem.getLoggerConfiguration(logger).getEffectiveLevel();
	}

}
