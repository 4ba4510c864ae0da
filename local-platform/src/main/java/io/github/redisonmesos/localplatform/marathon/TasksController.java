package io.github.redisonmesos.localplatform.marathon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v2/tasks/delete}: kills tasks of any apps by id, as Marathon's
 * {@code TasksResource.killTasks} does: a malformed id answers 400, an unknown one is
 * skipped.
 */
@RestController
class TasksController {

	// Marathon's most lenient task id form (Task.Id.LegacyTaskIdRegex).
	private static final Pattern TASK_ID = Pattern.compile("^(.+)([._])([^_.]+)$");

	private final AppService apps;

	private final AppRegistry registry;

	private final MarathonRequests requests;

	TasksController(AppService apps, AppRegistry registry, MarathonRequests requests) {
		this.apps = apps;
		this.registry = registry;
		this.requests = requests;
	}

	@PostMapping("/v2/tasks/delete")
	ResponseEntity<Object> killTasks(@RequestBody(required = false) String body,
			@RequestParam(defaultValue = "false") boolean scale, @RequestParam(defaultValue = "false") boolean force,
			@RequestParam(defaultValue = "false") boolean wipe) {
		MarathonRequests.checkScaleOrWipe(scale, wipe);
		JsonNode ids = this.requests.object(body).path("ids");
		if (!ids.isArray()) {
			throw MarathonException.invalidJson(List.of(MarathonException.detail("/ids", "error.path.missing")));
		}
		Map<String, Set<String>> byApp = new LinkedHashMap<>();
		for (JsonNode id : ids) {
			String taskId = id.asText();
			if (!TASK_ID.matcher(taskId).matches()) {
				throw new MarathonException(HttpStatus.BAD_REQUEST, "Invalid task id '" + taskId + "'. [taskId "
						+ taskId + " no valid identifier (of class java.lang.String)]", null, null);
			}
			this.registry.snapshot()
				.listed()
				.stream()
				.filter((app) -> app.task(taskId).isPresent())
				.findFirst()
				.ifPresent((app) -> byApp.computeIfAbsent(app.id(), (appId) -> new java.util.HashSet<>()).add(taskId));
		}
		if (scale) {
			Map<String, Predicate<Task>> which = new LinkedHashMap<>();
			byApp.forEach((appId, taskIds) -> which.put(appId, (task) -> taskIds.contains(task.id())));
			return MarathonRequests.deploymentAnswer(HttpStatus.OK, this.apps.killAndScale(which, force));
		}
		List<Task> killed = new ArrayList<>();
		byApp.forEach((appId, taskIds) -> killed.addAll(this.apps.kill(appId, (task) -> taskIds.contains(task.id()))));
		return ResponseEntity.ok(Map.of("tasks", killed.stream().map(MarathonJson::task).toList()));
	}

}
