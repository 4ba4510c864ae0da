package io.github.redisonmesos.localplatform.marathon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * An error Marathon answers with {@code {"message", "details"?, "deployments"?}}.
 */
class MarathonException extends RuntimeException {

	private final HttpStatus status;

	private final transient Map<String, Object> body;

	MarathonException(HttpStatus status, String message, String extraField, Object extraValue) {
		super(message);
		this.status = status;
		this.body = new LinkedHashMap<>();
		this.body.put("message", message);
		if (extraField != null) {
			this.body.put(extraField, extraValue);
		}
	}

	static MarathonException appNotFound(String appId) {
		return new MarathonException(HttpStatus.NOT_FOUND, "App '" + appId + "' does not exist", null, null);
	}

	static MarathonException taskNotFound(String taskId) {
		return new MarathonException(HttpStatus.NOT_FOUND, "Task '" + taskId + "' does not exist", null, null);
	}

	static MarathonException appExists(String appId) {
		return new MarathonException(HttpStatus.CONFLICT, "An app with id [" + appId + "] already exists.", null, null);
	}

	static MarathonException locked(String deploymentId) {
		return new MarathonException(HttpStatus.CONFLICT,
				"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/"
						+ deploymentId + "'.",
				"deployments", List.of(Map.of("id", deploymentId)));
	}

	static MarathonException invalidJson(List<Map<String, Object>> details) {
		return new MarathonException(HttpStatus.BAD_REQUEST, "Invalid JSON", "details", details);
	}

	static MarathonException notValid(List<Map<String, Object>> details) {
		return new MarathonException(HttpStatus.UNPROCESSABLE_ENTITY, "Object is not valid", "details", details);
	}

	static Map<String, Object> detail(String path, String error) {
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("path", path);
		detail.put("errors", List.of(error));
		return detail;
	}

	HttpStatus status() {
		return this.status;
	}

	Map<String, Object> body() {
		return this.body;
	}

}
