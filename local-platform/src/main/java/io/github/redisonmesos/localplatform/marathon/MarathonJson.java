package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders apps, tasks and deployments in the shapes of Marathon's responses (fixtures
 * {@code v0.10.1.get_v2_apps_id.response-200.embed-tasks.json}, {@code app_tasks.json},
 * {@code deployments.json}). Called with the registry's lock held.
 */
final class MarathonJson {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private MarathonJson() {
	}

	static String timestamp(Instant instant) {
		return TIMESTAMP.format(instant);
	}

	static ObjectNode app(App app, boolean withTasks, boolean withLastFailure) {
		ObjectNode json = app.definition.json().deepCopy();
		json.put("tasksStaged", 0);
		json.put("tasksRunning", app.tasks.stream().filter((task) -> !task.killing()).count());
		json.put("tasksHealthy", app.tasks.stream().filter(Task::healthy).count());
		json.put("tasksUnhealthy", app.tasks.stream().filter(Task::unhealthy).count());
		ArrayNode deployments = json.putArray("deployments");
		if (app.deployment != null) {
			deployments.addObject().put("id", app.deployment.id());
		}
		if (withTasks) {
			ArrayNode tasks = json.putArray("tasks");
			app.tasks.forEach((task) -> tasks.addPOJO(task(task)));
		}
		if (withLastFailure && app.lastTaskFailure != null) {
			json.putPOJO("lastTaskFailure", lastTaskFailure(app.lastTaskFailure));
		}
		return json;
	}

	static Map<String, Object> task(Task task) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("appId", task.appId);
		json.put("healthCheckResults",
				task.health.stream()
					.filter((state) -> state.alive != null)
					.map((state) -> healthCheckResult(task, state))
					.toList());
		json.put("host", "127.0.0.1");
		json.put("id", task.id);
		json.put("ipAddresses", List.of(Map.of("ipAddress", "127.0.0.1", "protocol", "IPv4")));
		json.put("ports", task.ports);
		json.put("servicePorts", List.of());
		json.put("slaveId", "local-platform");
		json.put("stagedAt", timestamp(task.stagedAt));
		json.put("startedAt", timestamp(task.stagedAt));
		json.put("state", task.state);
		json.put("version", task.version);
		json.put("localVolumes", List.of());
		json.put("role", "*");
		return json;
	}

	static Map<String, Object> deployment(Deployment deployment) {
		Map<String, Object> action = new LinkedHashMap<>();
		action.put("action", deployment.action());
		action.put("app", deployment.appId());
		Map<String, Object> current = new LinkedHashMap<>(action);
		current.put("readinessCheckResults", List.of());
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", deployment.id());
		json.put("version", deployment.version());
		json.put("affectedApps", List.of(deployment.appId()));
		json.put("affectedPods", List.of());
		json.put("steps", List.of(Map.of("actions", List.of(action))));
		json.put("currentActions", List.of(current));
		json.put("currentStep", 1);
		json.put("totalSteps", 1);
		return json;
	}

	static Map<String, Object> deploymentResult(Deployment deployment) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("deploymentId", deployment.id());
		json.put("version", deployment.version());
		return json;
	}

	static List<Map<String, Object>> deployments(List<App> apps) {
		List<Map<String, Object>> list = new ArrayList<>();
		apps.stream().filter((app) -> app.deployment != null).forEach((app) -> list.add(deployment(app.deployment)));
		return list;
	}

	private static Map<String, Object> healthCheckResult(Task task, HealthState state) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("alive", state.alive);
		json.put("consecutiveFailures", state.consecutiveFailures);
		json.put("firstSuccess", (state.firstSuccess != null) ? timestamp(state.firstSuccess) : null);
		json.put("lastFailure", (state.lastFailure != null) ? timestamp(state.lastFailure) : null);
		json.put("lastSuccess", (state.lastSuccess != null) ? timestamp(state.lastSuccess) : null);
		json.put("lastFailureCause", state.lastFailureCause);
		json.put("taskId", task.id);
		return json;
	}

	private static Map<String, Object> lastTaskFailure(TaskFailure failure) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("appId", failure.appId());
		json.put("host", "127.0.0.1");
		json.put("message", failure.message());
		json.put("state", failure.state());
		json.put("taskId", failure.taskId());
		json.put("timestamp", failure.timestamp());
		json.put("version", failure.version());
		json.put("slaveId", "local-platform");
		return json;
	}

}
