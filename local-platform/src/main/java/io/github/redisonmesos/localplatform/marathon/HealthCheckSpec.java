package io.github.redisonmesos.localplatform.marathon;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A health check of an app definition.
 */
record HealthCheckSpec(String protocol, int portIndex, Integer port, String path, String command, Duration gracePeriod,
		Duration interval, Duration timeout, int maxConsecutiveFailures) {

	static final Set<String> TCP = Set.of("TCP", "MESOS_TCP");

	static final Set<String> HTTP = Set.of("HTTP", "MESOS_HTTP");

	static final Set<String> SUPPORTED = Set.of("TCP", "MESOS_TCP", "HTTP", "MESOS_HTTP", "COMMAND");

	static HealthCheckSpec of(JsonNode json) {
		JsonNode command = json.path("command");
		return new HealthCheckSpec(json.path("protocol").asText("HTTP"), json.path("portIndex").asInt(0),
				json.hasNonNull("port") ? json.get("port").asInt() : null, json.path("path").asText("/"),
				command.isObject() ? command.path("value").asText(null) : null,
				Duration.ofSeconds(json.path("gracePeriodSeconds").asLong(300)),
				Duration.ofSeconds(json.path("intervalSeconds").asLong(60)),
				Duration.ofSeconds(json.path("timeoutSeconds").asLong(20)),
				json.path("maxConsecutiveFailures").asInt(3));
	}

}
