package io.github.redisonmesos.broker.deployment;

import java.time.Instant;

/**
 * Where an instance's deployment stands.
 *
 * @param planId the plan the running definition was deployed for
 * @param deploymentsInFlight changes to it still being rolled out
 * @param tasksHealthy Redis tasks whose health checks pass
 * @param lastTaskFailure the last task failure, or {@code null} when none
 * @param apps how many of the instance's apps are deployed (1 for a single Redis; one per
 * node of an HA instance)
 * @param settings the Redis settings the running definition was deployed with
 * ({@link RedisSettings#label()}), {@code null} when it does not say (an app deployed
 * before the broker labelled them)
 */
public record DeploymentStatus(String planId, int deploymentsInFlight, int tasksHealthy, TaskFailure lastTaskFailure,
		int apps, String settings) {

	/**
	 * The status of an instance's apps, without what settings they run.
	 */
	public DeploymentStatus(String planId, int deploymentsInFlight, int tasksHealthy, TaskFailure lastTaskFailure,
			int apps) {
		this(planId, deploymentsInFlight, tasksHealthy, lastTaskFailure, apps, null);
	}

	/**
	 * This status, saying what settings the running definition has.
	 * @param settings the settings' label, {@code null} when unknown
	 * @return the status
	 */
	public DeploymentStatus withSettings(String settings) {
		return new DeploymentStatus(this.planId, this.deploymentsInFlight, this.tasksHealthy, this.lastTaskFailure,
				this.apps, settings);
	}

	/**
	 * The status of one app.
	 */
	public DeploymentStatus(String planId, int deploymentsInFlight, int tasksHealthy, TaskFailure lastTaskFailure) {
		this(planId, deploymentsInFlight, tasksHealthy, lastTaskFailure, 1);
	}

	/**
	 * This status and another app's of the same instance, summed up: the plan of the
	 * first, the settings of the first, the newest task failure.
	 * @param other the other app's status
	 * @return the sum
	 */
	public DeploymentStatus plus(DeploymentStatus other) {
		TaskFailure newest = this.lastTaskFailure;
		if (newest == null
				|| (other.lastTaskFailure != null && other.lastTaskFailure.timestamp().isAfter(newest.timestamp()))) {
			newest = other.lastTaskFailure;
		}
		return new DeploymentStatus(this.planId, this.deploymentsInFlight + other.deploymentsInFlight,
				this.tasksHealthy + other.tasksHealthy, newest, this.apps + other.apps, this.settings);
	}

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
