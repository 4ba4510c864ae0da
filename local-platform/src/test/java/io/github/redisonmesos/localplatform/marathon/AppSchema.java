package io.github.redisonmesos.localplatform.marathon;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Marathon's {@code AppDefinition.json} as the local platform applies it, for tests that
 * check an app the platform answers with.
 */
public final class AppSchema {

	// Fields Marathon adds to an app in its answers; the schema describes requests.
	private static final List<String> READ_ONLY = List.of("tasksStaged", "tasksRunning", "tasksHealthy",
			"tasksUnhealthy", "deployments", "tasks", "lastTaskFailure");

	private static final AppValidator VALIDATOR = new AppValidator("");

	private AppSchema() {
	}

	/**
	 * The schema's objections to an app as an answer shows it.
	 * @param app an app from a response
	 * @return the violations, empty when the schema accepts the app
	 */
	public static List<String> violations(JsonNode app) {
		ObjectNode definition = ((ObjectNode) app).deepCopy();
		definition.remove(READ_ONLY);
		return VALIDATOR.schemaViolations(definition).stream().map(Object::toString).toList();
	}

}
