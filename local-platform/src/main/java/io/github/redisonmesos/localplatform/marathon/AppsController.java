package io.github.redisonmesos.localplatform.marathon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /v2/apps}: one handler per route. App ids contain slashes, so the routes are
 * told apart by the end of the path ({@code /tasks}, {@code /restart}), as Marathon's own
 * resources do.
 */
@RestController
class AppsController {

	private static final String APPS = "/v2/apps";

	// Any app id. Written "/*/**" rather than "/**" so that Spring's Ant-style ordering
	// (fewer wildcards first, then longer) prefers every route with a suffix, including
	// "/**/tasks/{taskId}".
	private static final String APP = APPS + "/*/**";

	private final AppService apps;

	private final AppRegistry registry;

	private final MarathonRequests requests;

	AppsController(AppService apps, AppRegistry registry, MarathonRequests requests) {
		this.apps = apps;
		this.registry = registry;
		this.requests = requests;
	}

	@PostMapping(APPS)
	ResponseEntity<Object> create(@RequestBody(required = false) String body) {
		App created = this.apps.create(this.requests.object(body));
		return ResponseEntity.created(URI.create(APPS + created.id()))
			.header(MarathonRequests.DEPLOYMENT_HEADER, created.deployment().id())
			.body(MarathonJson.app(created, false, false));
	}

	@GetMapping(APPS)
	Map<String, Object> list(@RequestParam(required = false) List<String> embed,
			@RequestParam(required = false) String id) {
		boolean tasks = embed != null && embed.contains("apps.tasks");
		boolean failure = embed != null && embed.contains("apps.lastTaskFailure");
		return Map.of("apps",
				this.registry.snapshot()
					.listed()
					.stream()
					.filter((app) -> id == null || app.id().contains(id))
					.map((app) -> MarathonJson.app(app, tasks, failure))
					.toList());
	}

	@GetMapping(APP)
	Map<String, Object> get(HttpServletRequest request) {
		// Marathon adds tasks, counts, deployments and lastTaskFailure to a single app.
		return Map.of("app", MarathonJson.app(this.registry.snapshot().get(appId(request, "")), true, true));
	}

	@GetMapping(APPS + "/**/tasks")
	Map<String, Object> tasks(HttpServletRequest request) {
		App app = this.registry.snapshot().get(appId(request, "/tasks"));
		return Map.of("tasks", app.tasks().stream().map(MarathonJson::task).toList());
	}

	@PutMapping(APP)
	ResponseEntity<Object> update(HttpServletRequest request, @RequestBody(required = false) String body,
			@RequestParam(defaultValue = "true") boolean partialUpdate,
			@RequestParam(defaultValue = "false") boolean force) {
		Map.Entry<Deployment, Boolean> result = this.apps.update(appId(request, ""), this.requests.object(body),
				partialUpdate, force);
		return MarathonRequests.deploymentAnswer(result.getValue() ? HttpStatus.CREATED : HttpStatus.OK,
				result.getKey());
	}

	@PostMapping(APPS + "/**/restart")
	ResponseEntity<Object> restart(HttpServletRequest request, @RequestParam(defaultValue = "false") boolean force) {
		return MarathonRequests.deploymentAnswer(HttpStatus.OK, this.apps.restart(appId(request, "/restart"), force));
	}

	@DeleteMapping(APP)
	ResponseEntity<Object> delete(HttpServletRequest request, @RequestParam(defaultValue = "false") boolean force) {
		return MarathonRequests.deploymentAnswer(HttpStatus.OK, this.apps.delete(appId(request, ""), force));
	}

	/**
	 * Kills the app's tasks (on the agent {@code host}, or all for {@code *} or none);
	 * {@code scale=true} scales the app down by as many.
	 */
	@DeleteMapping(APPS + "/**/tasks")
	ResponseEntity<Object> killTasks(HttpServletRequest request, @RequestParam(required = false) String host,
			@RequestParam(defaultValue = "false") boolean scale, @RequestParam(defaultValue = "false") boolean force,
			@RequestParam(defaultValue = "false") boolean wipe) {
		String appId = appId(request, "/tasks");
		MarathonRequests.checkScaleOrWipe(scale, wipe);
		Predicate<Task> onHost = (task) -> host == null || "*".equals(host) || task.agent().host().equals(host);
		if (scale) {
			return MarathonRequests.deploymentAnswer(HttpStatus.OK,
					this.apps.killAndScale(Map.of(appId, onHost), force));
		}
		List<Task> killed = this.apps.kill(appId, onHost);
		return ResponseEntity.ok(Map.of("tasks", killed.stream().map(MarathonJson::task).toList()));
	}

	/**
	 * Kills one task; {@code scale=true} scales the app down by one.
	 */
	@DeleteMapping(APPS + "/**/tasks/{taskId}")
	ResponseEntity<Object> killTask(HttpServletRequest request, @PathVariable String taskId,
			@RequestParam(defaultValue = "false") boolean scale, @RequestParam(defaultValue = "false") boolean force,
			@RequestParam(defaultValue = "false") boolean wipe) {
		String appId = appId(request, "/tasks/" + taskId);
		MarathonRequests.checkScaleOrWipe(scale, wipe);
		if (scale) {
			return MarathonRequests.deploymentAnswer(HttpStatus.OK,
					this.apps.killAndScale(Map.of(appId, (task) -> task.id().equals(taskId)), force));
		}
		List<Task> killed = this.apps.kill(appId, (task) -> task.id().equals(taskId));
		if (killed.isEmpty()) {
			throw MarathonException.taskNotFound(taskId);
		}
		return ResponseEntity.ok(Map.of("task", MarathonJson.task(killed.get(0))));
	}

	/**
	 * The app id in the request path, without the route's suffix.
	 */
	private static String appId(HttpServletRequest request, String suffix) {
		String uri = UriUtils.decode(request.getRequestURI().substring(request.getContextPath().length()),
				StandardCharsets.UTF_8);
		return AppDefinition.absoluteId(uri.substring(APPS.length(), uri.length() - suffix.length()));
	}

}
