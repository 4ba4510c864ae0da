package io.github.redisonmesos.localplatform.marathon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v2/deployments}, {@code /v2/info} and {@code /ping}.
 */
@RestController
class MarathonController {

	private final AppRegistry registry;

	// Marathon's --mesos_role: the role of the agents' reserved ports, "*" without them
	private final String mesosRole;

	MarathonController(AppRegistry registry, LocalPlatformProperties properties) {
		this.mesosRole = properties.reservedPorts().isBlank() ? "*" : properties.reservedRole();
		this.registry = registry;
	}

	@GetMapping("/v2/deployments")
	List<Map<String, Object>> deployments() {
		return MarathonJson.deployments(this.registry.snapshot().supervised());
	}

	@GetMapping("/v2/info")
	Map<String, Object> info() {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("name", "marathon");
		info.put("version", "1.10.0-local-platform");
		info.put("buildref", "local-platform");
		info.put("elected", true);
		info.put("leader", "127.0.0.1");
		info.put("frameworkId", "local-platform");
		info.put("marathon_config", Map.of("features", List.of("external_volumes"), "hostname", "127.0.0.1",
				"framework_name", "marathon", "mesos_role", this.mesosRole));
		info.put("zookeeper_config", Map.of());
		info.put("http_config", Map.of());
		return info;
	}

	/**
	 * Marathon's launch queue: every app with instances left to launch, and why the
	 * agents' offers did not match.
	 */
	@GetMapping("/v2/queue")
	Map<String, Object> queue() {
		java.time.Instant now = java.time.Instant.now();
		return Map.of("queue",
				this.registry.snapshot()
					.listed()
					.stream()
					.filter((app) -> app.leftToLaunch() > 0)
					.map((app) -> MarathonJson.queued(app, now))
					.toList());
	}

	@GetMapping(path = "/ping", produces = MediaType.TEXT_PLAIN_VALUE)
	String ping() {
		return "pong";
	}

}
