package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import io.github.redisonmesos.localplatform.process.TaskProcess;

/**
 * One running instance of an app. Mutated only under the registry's lock.
 */
final class Task {

	static final String RUNNING = "TASK_RUNNING";

	static final String KILLING = "TASK_KILLING";

	final String id;

	final String appId;

	final String version;

	final List<Integer> ports;

	final Instant stagedAt;

	final TaskProcess process;

	final List<HealthState> health;

	String state = RUNNING;

	// Belongs to a superseded version or a restart: the deployment replaces it.
	boolean replaced;

	// Why the platform itself killed the task; null when a client asked for it.
	String killReason;

	boolean announcedHealthy;

	ScheduledFuture<?> forcedKill;

	Task(String id, String appId, String version, List<Integer> ports, Instant stagedAt, TaskProcess process,
			List<HealthState> health) {
		this.id = id;
		this.appId = appId;
		this.version = version;
		this.ports = ports;
		this.stagedAt = stagedAt;
		this.process = process;
		this.health = health;
	}

	boolean killing() {
		return KILLING.equals(this.state);
	}

	/**
	 * Counts for the app's capacity: not being killed and not waiting to be replaced.
	 */
	boolean current() {
		return !killing() && !this.replaced;
	}

	/**
	 * Healthy as Marathon counts it: every check alive (false when the app has none).
	 */
	boolean healthy() {
		return !this.health.isEmpty() && this.health.stream().allMatch((check) -> Boolean.TRUE.equals(check.alive));
	}

	boolean unhealthy() {
		return this.health.stream().anyMatch((check) -> Boolean.FALSE.equals(check.alive));
	}

	/**
	 * Ready to serve: healthy, or merely running when the app has no health checks.
	 */
	boolean ready() {
		return !killing() && (this.health.isEmpty() || healthy());
	}

}
