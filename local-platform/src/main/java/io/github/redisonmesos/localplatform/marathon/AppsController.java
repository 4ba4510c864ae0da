package io.github.redisonmesos.localplatform.marathon;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /v2/apps}: app ids contain slashes, so {@code /tasks} and {@code /restart} are
 * told apart by the end of the path.
 */
@RestController
class AppsController {

	private static final String APPS = "/v2/apps";

	private static final String DEPLOYMENT_HEADER = "Marathon-Deployment-Id";

	private final AppService apps;

	private final AppRegistry registry;

	private final ObjectMapper objectMapper;

	AppsController(AppService apps, AppRegistry registry, ObjectMapper objectMapper) {
		this.apps = apps;
		this.registry = registry;
		this.objectMapper = objectMapper;
	}

	@PostMapping(APPS)
	ResponseEntity<Object> create(@RequestBody(required = false) String body) {
		AppService.Created created = this.apps.create(parse(body));
		return ResponseEntity.created(URI.create(APPS + created.appId()))
			.header(DEPLOYMENT_HEADER, created.deployment().id())
			.body(created.body());
	}

	@GetMapping(APPS)
	Map<String, Object> list(@RequestParam(required = false) List<String> embed,
			@RequestParam(required = false) String id) {
		boolean tasks = embed != null && embed.contains("apps.tasks");
		boolean failure = embed != null && embed.contains("apps.lastTaskFailure");
		synchronized (this.registry) {
			return Map.of("apps",
					this.registry.listed()
						.stream()
						.filter((app) -> id == null || app.id().contains(id))
						.map((app) -> MarathonJson.app(app, tasks, failure))
						.toList());
		}
	}

	@GetMapping(APPS + "/**")
	Object get(HttpServletRequest request) {
		String path = path(request);
		synchronized (this.registry) {
			if (path.endsWith("/tasks")) {
				App app = this.registry.get(path.substring(0, path.length() - "/tasks".length()));
				return Map.of("tasks", app.tasks.stream().map(MarathonJson::task).toList());
			}
			// Marathon adds tasks, counts, deployments and lastTaskFailure to a single
			// app.
			return Map.of("app", MarathonJson.app(this.registry.get(path), true, true));
		}
	}

	@PutMapping(APPS + "/**")
	ResponseEntity<Object> update(HttpServletRequest request, @RequestBody(required = false) String body,
			@RequestParam(defaultValue = "true") boolean partialUpdate,
			@RequestParam(defaultValue = "false") boolean force) {
		Map.Entry<Deployment, Boolean> result = this.apps.update(path(request), parse(body), partialUpdate, force);
		return ResponseEntity.status(result.getValue() ? HttpStatus.CREATED : HttpStatus.OK)
			.header(DEPLOYMENT_HEADER, result.getKey().id())
			.body(MarathonJson.deploymentResult(result.getKey()));
	}

	@PostMapping(APPS + "/**")
	ResponseEntity<Object> restart(HttpServletRequest request, @RequestParam(defaultValue = "false") boolean force) {
		String path = path(request);
		if (!path.endsWith("/restart")) {
			throw new MarathonException(HttpStatus.NOT_FOUND,
					"POST " + APPS + path + " is not emulated by the local platform", null, null);
		}
		return deploymentAnswer(this.apps.restart(path.substring(0, path.length() - "/restart".length()), force));
	}

	@DeleteMapping(APPS + "/**")
	ResponseEntity<Object> delete(HttpServletRequest request, @RequestParam(defaultValue = "false") boolean force) {
		return deploymentAnswer(this.apps.delete(path(request), force));
	}

	private static ResponseEntity<Object> deploymentAnswer(Deployment deployment) {
		return ResponseEntity.ok()
			.header(DEPLOYMENT_HEADER, deployment.id())
			.body(MarathonJson.deploymentResult(deployment));
	}

	private JsonNode parse(String body) {
		try {
			JsonNode json = (body != null) ? this.objectMapper.readTree(body) : null;
			if (json == null || !json.isObject()) {
				throw MarathonException.invalidJson(List.of(MarathonException.detail("/", "error.expected.jsobject")));
			}
			return json;
		}
		catch (JsonProcessingException ex) {
			throw MarathonException.invalidJson(List.of(MarathonException.detail("/", ex.getOriginalMessage())));
		}
	}

	private static String path(HttpServletRequest request) {
		String uri = request.getRequestURI().substring(request.getContextPath().length() + APPS.length());
		return AppDefinition.absoluteId(UriUtils.decode(uri, java.nio.charset.StandardCharsets.UTF_8));
	}

}
