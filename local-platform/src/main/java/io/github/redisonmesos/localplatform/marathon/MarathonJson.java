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
		json.put("host", task.agent().host());
		json.put("id", task.id());
		json.put("ipAddresses", List.of(Map.of("ipAddress", task.agent().host(), "protocol", "IPv4")));
		json.put("ports", task.ports());
		json.put("servicePorts", List.of());
		json.put("slaveId", task.agent().id());
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

	/**
	 * An app in the launch queue ({@code GET /v2/queue}, fixture {@code queue.json}).
	 */
	static Map<String, Object> queued(App app, Instant now) {
		LaunchAttempt attempt = (app.launchAttempt() != null) ? app.launchAttempt() : LaunchAttempt.startedAt(now);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("app", app(app, false, false));
		json.put("count", app.leftToLaunch());
		json.put("role", "*");
		// Waiting for an offer is no backoff: overdue, as Marathon says of an app that
		// waits on offers.
		long left = (app.awaitedOffer() != null) ? 0
				: Math.max(0, java.time.Duration.between(now, app.launchAllowedAt()).toSeconds());
		Map<String, Object> delay = new LinkedHashMap<>();
		delay.put("timeLeftSeconds", left);
		delay.put("overdue", left == 0);
		json.put("delay", delay);
		json.put("since", timestamp(attempt.since()));
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("processedOffersCount", attempt.processed());
		summary.put("unusedOffersCount", attempt.unused());
		if (attempt.lastUnusedAt() != null) {
			summary.put("lastUnusedOfferAt", timestamp(attempt.lastUnusedAt()));
		}
		if (attempt.lastUsedAt() != null) {
			summary.put("lastUsedOfferAt", timestamp(attempt.lastUsedAt()));
		}
		summary.put("rejectSummaryLastOffers", attempt.lastOffersSummary());
		summary.put("rejectSummaryLaunchAttempt", attempt.attemptSummary());
		json.put("processedOffersSummary", summary);
		return json;
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
		json.put("host", failure.agent().host());
		json.put("message", failure.message());
		json.put("state", failure.state());
		json.put("taskId", failure.taskId());
		json.put("timestamp", failure.timestamp());
		json.put("version", failure.version());
		json.put("slaveId", failure.agent().id());
		return json;
	}

}
