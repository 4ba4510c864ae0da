package io.github.redisonmesos.broker.marathon;

import java.time.Instant;

/**
 * What Marathon says about a running app ({@code GET /v2/apps/:appId}).
 *
 * @param deploymentsInFlight number of deployments still running for the app
 * @param tasksHealthy tasks whose health checks pass
 * @param lastTaskFailure the last task failure, or {@code null} when none
 */
public record AppStatus(int deploymentsInFlight, int tasksHealthy, TaskFailure lastTaskFailure) {

	/**
	 * Marathon's {@code lastTaskFailure}.
	 *
	 * @param message Marathon's message
	 * @param timestamp when the task failed
	 */
	public record TaskFailure(String message, Instant timestamp) {

	}

}
