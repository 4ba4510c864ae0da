package io.github.redisonmesos.localplatform.marathonconsul;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.marathon.TaskInfo;
import io.github.redisonmesos.localplatform.marathon.TaskInfo.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Consul checks marathon-consul makes of an app's Marathon health checks (allegro/
 * marathon-consul {@code consul/consul.go}, {@code marathonToConsulChecks}): one per
 * health check it can translate, each probing the port its health check names, and every
 * one of them attached to every registration of the task.
 */
final class ConsulChecks {

	private static final Logger logger = LoggerFactory.getLogger(ConsulChecks.class);

	private ConsulChecks() {
	}

	static List<Check> of(TaskInfo task) {
		List<Check> checks = new ArrayList<>();
		for (int i = 0; i < task.healthChecks().size(); i++) {
			HealthCheck healthCheck = task.healthChecks().get(i);
			Integer port = port(healthCheck, task.ports());
			if (port == null) {
				logger.warn("consul.check-ignored appId={} protocol={} reason=no-valid-port", task.appId(),
						healthCheck.protocol());
				continue;
			}
			Map<String, Object> definition = probe(healthCheck, task, port);
			if (definition == null) {
				logger.warn("consul.check-ignored appId={} protocol={} reason=not-translatable", task.appId(),
						healthCheck.protocol());
				continue;
			}
			definition.put("Interval", goDuration(healthCheck.interval()));
			definition.put("Timeout", goDuration(healthCheck.timeout()));
			checks.add(new Check(i, definition));
		}
		return checks;
	}

	/**
	 * The fixed port, or the task's port at the index; none when the index is out of
	 * range or the port invalid. Asked of every check, {@code COMMAND} ones included.
	 */
	private static Integer port(HealthCheck check, List<Integer> ports) {
		int port;
		if (check.port() != null && check.port() != 0) {
			port = check.port();
		}
		else if (check.portIndex() >= 0 && check.portIndex() < ports.size()) {
			port = ports.get(check.portIndex());
		}
		else {
			return null;
		}
		return (port >= 1 && port <= 65535) ? port : null;
	}

	private static Map<String, Object> probe(HealthCheck check, TaskInfo task, int port) {
		Map<String, Object> definition = new LinkedHashMap<>();
		switch (check.protocol()) {
			case "HTTP", "MESOS_HTTP", "HTTPS", "MESOS_HTTPS" -> {
				String path = requestPath(check.path());
				if (path == null) {
					return null;
				}
				String scheme = check.protocol().endsWith("HTTPS") ? "https" : "http";
				definition.put("HTTP", scheme + "://" + task.host() + ":" + port + path);
			}
			case "TCP", "MESOS_TCP" -> definition.put("TCP", task.host() + ":" + port);
			case "COMMAND" -> definition.put("ScriptArgs", List.of(substitute(check.command(), task)));
			default -> {
				return null;
			}
		}
		return definition;
	}

	/**
	 * The path and query of an HTTP check's path, as Go's {@code url.ParseRequestURI}
	 * accepts it (an absolute path or an absolute URL); null otherwise.
	 */
	private static String requestPath(String path) {
		String given = (path == null || path.isEmpty()) ? "/" : path;
		if (given.startsWith("/")) {
			return given;
		}
		try {
			URI uri = new URI(given);
			if (!uri.isAbsolute()) {
				return null;
			}
			String rawPath = (uri.getRawPath() != null) ? uri.getRawPath() : "";
			return rawPath + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	/**
	 * {@code $PORT0}, {@code $PORT1}, ... and {@code $HOST} replaced, in that order, as
	 * plain text (no shell syntax such as {@code ${PORT0}}).
	 */
	private static String substitute(String command, TaskInfo task) {
		String result = (command != null) ? command : "";
		for (int i = 0; i < task.ports().size(); i++) {
			result = result.replace("$PORT" + i, String.valueOf(task.ports().get(i)));
		}
		return result.replace("$HOST", task.host());
	}

	/**
	 * A duration as Go prints it ({@code 2s}, {@code 1m0s}, {@code 1h0m0s}), as Consul
	 * reports a check's interval and timeout.
	 */
	static String goDuration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		long hours = seconds / 3600;
		String minutesAndSeconds = (seconds % 3600) / 60 + "m" + seconds % 60 + "s";
		return (hours > 0) ? hours + "h" + minutesAndSeconds : minutesAndSeconds;
	}

	/**
	 * A Consul check made of one Marathon health check.
	 *
	 * @param healthCheck the index of the health check it was made of
	 * @param definition how Consul probes: {@code TCP}, {@code HTTP} or
	 * {@code ScriptArgs}, with {@code Interval} and {@code Timeout}
	 */
	record Check(int healthCheck, Map<String, Object> definition) {

		Check {
			definition = Collections.unmodifiableMap(new LinkedHashMap<>(definition));
		}

	}

}
