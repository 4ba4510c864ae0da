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
 * {@code deployments.json}) from immutable snapshots, outside any lock.
 */
final class MarathonJson {

	/** The one agent's address, as tasks and failures report it. */
	static final String HOST = "127.0.0.1";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private MarathonJson() {
	}

	static String timestamp(Instant instant) {
		return TIMESTAMP.format(instant);
	}

	static ObjectNode app(App app, boolean withTasks, boolean withLastFailure) {
		ObjectNode json = app.definition().json().deepCopy();
		json.put("tasksStaged", app.tasks().stream().filter(Task::staging).count());
		json.put("tasksRunning", app.tasks().stream().filter(Task::running).count());
		json.put("tasksHealthy", app.tasks().stream().filter(Task::healthy).count());
		json.put("tasksUnhealthy", app.tasks().stream().filter(Task::unhealthy).count());
		ArrayNode deployments = json.putArray("deployments");
		if (app.deployment() != null) {
			deployments.addObject().put("id", app.deployment().id());
		}
		if (withTasks) {
			ArrayNode tasks = json.putArray("tasks");
			app.tasks().forEach((task) -> tasks.addPOJO(task(task)));
		}
		if (withLastFailure && app.lastTaskFailure() != null) {
			json.putPOJO("lastTaskFailure", lastTaskFailure(app.lastTaskFailure()));
		}
		return json;
	}

	static Map<String, Object> task(Task task) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("appId", task.appId());
		json.put("healthCheckResults",
				task.health()
					.stream()
					.filter((state) -> state.alive() != null)
					.map((state) -> healthCheckResult(task, state))
					.toList());
		json.put("host", "127.0.0.1");
		json.put("id", task.id());
		json.put("ipAddresses", List.of(Map.of("ipAddress", "127.0.0.1", "protocol", "IPv4")));
		json.put("ports", task.ports());
		json.put("servicePorts", List.of());
		json.put("slaveId", "local-platform");
		json.put("stagedAt", timestamp(task.stagedAt()));
		json.put("startedAt", task.staging() ? null : timestamp(task.stagedAt()));
		json.put("state", task.state());
		json.put("version", task.version());
		json.put("localVolumes", List.of());
		json.put("role", "*");
		return json;
	}

	/**
	 * A deployment with all the apps it affects (a kill-and-scale of tasks of several
	 * apps is one deployment).
	 */
	static Map<String, Object> deployment(List<Deployment> perApp) {
		Deployment deployment = perApp.get(0);
		List<Map<String, Object>> actions = new ArrayList<>();
		List<Map<String, Object>> current = new ArrayList<>();
		for (Deployment app : perApp) {
			Map<String, Object> action = new LinkedHashMap<>();
			action.put("action", app.action());
			action.put("app", app.appId());
			actions.add(action);
			Map<String, Object> running = new LinkedHashMap<>(action);
			running.put("readinessCheckResults", List.of());
			current.add(running);
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", deployment.id());
		json.put("version", deployment.version());
		json.put("affectedApps", perApp.stream().map(Deployment::appId).toList());
		json.put("affectedPods", List.of());
		json.put("steps", List.of(Map.of("actions", actions)));
		json.put("currentActions", current);
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
		Map<String, List<Deployment>> byId = new LinkedHashMap<>();
		apps.stream()
			.map(App::deployment)
			.filter((deployment) -> deployment != null)
			.forEach((deployment) -> byId.computeIfAbsent(deployment.id(), (id) -> new ArrayList<>()).add(deployment));
		return byId.values().stream().map(MarathonJson::deployment).toList();
	}

	private static Map<String, Object> healthCheckResult(Task task, HealthState state) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("alive", state.alive());
		json.put("consecutiveFailures", state.consecutiveFailures());
		json.put("firstSuccess", (state.firstSuccess() != null) ? timestamp(state.firstSuccess()) : null);
		json.put("lastFailure", (state.lastFailure() != null) ? timestamp(state.lastFailure()) : null);
		json.put("lastSuccess", (state.lastSuccess() != null) ? timestamp(state.lastSuccess()) : null);
		json.put("lastFailureCause", state.lastFailureCause());
		json.put("taskId", task.id());
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
