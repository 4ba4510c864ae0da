package io.github.redisonmesos.broker.deployment;

import java.time.Instant;

/**
 * Where an instance's deployment stands.
 *
 * @param planId the plan the running definition was deployed for
 * @param deploymentsInFlight changes to it still being rolled out
 * @param tasksHealthy Redis tasks whose health checks pass
 * @param lastTaskFailure the last task failure, or {@code null} when none
 */
public record DeploymentStatus(String planId, int deploymentsInFlight, int tasksHealthy, TaskFailure lastTaskFailure) {

	/**
	 * Whether a change is being rolled out.
	 * @return true while a deployment runs
	 */
	public boolean deploying() {
		return this.deploymentsInFlight > 0;
	}

	/**
	 * Why the last task stopped.
	 *
	 * @param message the platform's message
	 * @param timestamp when the task failed
	 */
	public record TaskFailure(String message, Instant timestamp) {

	}

}
