package io.github.redisonmesos.localplatform.marathon;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What observers learn about a task: what marathon-consul reads from Marathon's app and
 * task JSON.
 *
 * @param taskId the task id
 * @param appId the app id
 * @param labels the app's labels
 * @param host the host the task runs on
 * @param ports the task's host ports
 * @param portDefinitions the app's port definitions (or its container's port mappings),
 * one per port, in the order of {@code ports}
 * @param healthChecks the app's health checks with the task's result of each
 */
public record TaskInfo(String taskId, String appId, Map<String, String> labels, String host, List<Integer> ports,
		List<PortDefinition> portDefinitions, List<HealthCheck> healthChecks) {

	public TaskInfo {
		labels = ordered(labels);
		ports = List.copyOf(ports);
		portDefinitions = List.copyOf(portDefinitions);
		healthChecks = List.copyOf(healthChecks);
	}

	// Label order is kept: marathon-consul's tags follow it (Go's map order is random,
	// so any order is one marathon-consul could produce).
	private static Map<String, String> ordered(Map<String, String> labels) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(labels));
	}

	/**
	 * A port definition or port mapping, as far as marathon-consul reads it.
	 *
	 * @param name its name, or null
	 * @param labels its labels
	 */
	public record PortDefinition(String name, Map<String, String> labels) {

		public PortDefinition {
			labels = ordered(labels);
		}

	}

	/**
	 * A health check of the app and the task's current result of it.
	 *
	 * @param protocol {@code TCP}, {@code MESOS_TCP}, {@code HTTP}, {@code MESOS_HTTP} or
	 * {@code COMMAND}
	 * @param portIndex the index of the task port it probes
	 * @param port a fixed port it probes instead, or null
	 * @param path the HTTP path
	 * @param command the command of a {@code COMMAND} check, or null
	 * @param interval how often it runs
	 * @param timeout how long a probe may take
	 * @param alive the task's result: null until one counts
	 */
	public record HealthCheck(String protocol, int portIndex, Integer port, String path, String command,
			Duration interval, Duration timeout, Boolean alive) {

	}

}
