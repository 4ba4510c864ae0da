package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.List;

import io.github.redisonmesos.localplatform.agents.MesosAgent;
import io.github.redisonmesos.localplatform.process.TaskProcess;

/**
 * One instance of an app, as an immutable value.
 *
 * @param id the task id
 * @param appId the app id
 * @param version the app version it runs
 * @param stagedAt when it was launched
 * @param ports its host ports, from the offer it was launched with
 * @param agent the agent it runs on
 * @param process its process (null while staging)
 * @param state Marathon's task state
 * @param replaced belongs to a superseded version or a restart: the deployment replaces
 * it
 * @param killReason why the platform itself kills it, or why it was lost; null when a
 * client asked for it
 * @param announcedHealthy whether observers were last told it is healthy
 * @param health the running results of its health checks
 */
record Task(String id, String appId, String version, Instant stagedAt, List<Integer> ports, MesosAgent agent,
		TaskProcess process, String state, boolean replaced, String killReason, boolean announcedHealthy,
		List<HealthState> health) {

	static final String STAGING = "TASK_STAGING";

	static final String RUNNING = "TASK_RUNNING";

	static final String KILLING = "TASK_KILLING";

	static final String LOST = "TASK_LOST";

	Task {
		ports = List.copyOf(ports);
		health = List.copyOf(health);
	}

	static Task staging(String id, String appId, String version, Instant stagedAt, List<Integer> ports,
			MesosAgent agent, List<HealthState> health) {
		return new Task(id, appId, version, stagedAt, ports, agent, null, STAGING, false, null, false, health);
	}

	boolean killing() {
		return KILLING.equals(this.state);
	}

	/**
	 * Its agent was lost: its process is gone or going, and it is replaced at once.
	 */
	boolean lost() {
		return LOST.equals(this.state);
	}

	boolean staging() {
		return STAGING.equals(this.state);
	}

	boolean running() {
		return RUNNING.equals(this.state);
	}

	/**
	 * Counts for the app's capacity: not being killed and not waiting to be replaced.
	 */
	boolean current() {
		return !killing() && !lost() && !this.replaced;
	}

	/**
	 * Healthy as Marathon counts it: every check alive (false when the app has none).
	 */
	boolean healthy() {
		return !this.health.isEmpty() && this.health.stream().allMatch((check) -> Boolean.TRUE.equals(check.alive()));
	}

	boolean unhealthy() {
		return this.health.stream().anyMatch((check) -> Boolean.FALSE.equals(check.alive()));
	}

	/**
	 * Ready to serve: running and healthy, or merely running when the app has no health
	 * checks.
	 */
	boolean ready() {
		return running() && (this.health.isEmpty() || healthy());
	}

	Task started(TaskProcess newProcess) {
		return new Task(this.id, this.appId, this.version, this.stagedAt, this.ports, this.agent, newProcess,
				(killing() || lost()) ? this.state : RUNNING, this.replaced, this.killReason, this.announcedHealthy,
				this.health);
	}

	Task killed(String reason) {
		return new Task(this.id, this.appId, this.version, this.stagedAt, this.ports, this.agent, this.process, KILLING,
				this.replaced, reason, false, this.health);
	}

	Task asLost(String message) {
		return new Task(this.id, this.appId, this.version, this.stagedAt, this.ports, this.agent, this.process, LOST,
				this.replaced, message, false, this.health);
	}

	Task asReplaced() {
		return new Task(this.id, this.appId, this.version, this.stagedAt, this.ports, this.agent, this.process,
				this.state, true, this.killReason, this.announcedHealthy, this.health);
	}

	Task announced(boolean healthy) {
		return new Task(this.id, this.appId, this.version, this.stagedAt, this.ports, this.agent, this.process,
				this.state, this.replaced, this.killReason, healthy, this.health);
	}

	Task withHealth(List<HealthState> newHealth) {
		return new Task(this.id, this.appId, this.version, this.stagedAt, this.ports, this.agent, this.process,
				this.state, this.replaced, this.killReason, this.announcedHealthy, newHealth);
	}

}
