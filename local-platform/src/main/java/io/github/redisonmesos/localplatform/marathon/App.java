package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An app and what runs for it, as one immutable value: the registry replaces it whole.
 *
 * @param definition the current definition
 * @param tasks its tasks, including those being killed
 * @param deployment the deployment in flight, or null
 * @param lastTaskFailure why a task last ended without being asked to, or null
 * @param failures consecutive launches that ended in failure, for the launch backoff
 * @param launchAllowedAt when the next launch may happen
 * @param deleted no longer listed, kept only until its tasks have stopped
 * @param awaitedOffer why no agent last offered what a launch needs (a role, a
 * constraint, a required host port), or null once a task has launched
 * @param launchAttempt the offers processed since the app last had tasks to launch, or
 * null while it has none
 */
record App(AppDefinition definition, List<Task> tasks, Deployment deployment, TaskFailure lastTaskFailure, int failures,
		Instant launchAllowedAt, boolean deleted, String awaitedOffer, LaunchAttempt launchAttempt) {

	App {
		tasks = List.copyOf(tasks);
	}

	static App created(AppDefinition definition, Deployment deployment) {
		return new App(definition, List.of(), deployment, null, 0, Instant.EPOCH, false, null, null);
	}

	String id() {
		return this.definition.id();
	}

	Optional<Task> task(String taskId) {
		return this.tasks.stream().filter((task) -> task.id().equals(taskId)).findFirst();
	}

	List<Task> currentTasks() {
		return this.tasks.stream().filter(Task::current).toList();
	}

	/**
	 * How many tasks the app may launch now: as many as it is short of, once its launch
	 * delay has passed. Without extra capacity in its upgrade strategy a new task waits
	 * until every old one (replaced or killed) has gone, which keeps one writer per
	 * external volume and frees a required host port for the successor.
	 * @param now the supervisor's time
	 * @return the number of tasks to launch, 0 or more
	 */
	int launchesDue(Instant now) {
		boolean oldTasksGone = this.tasks.stream().allMatch(Task::current);
		if (this.deleted || now.isBefore(this.launchAllowedAt)
				|| !(this.definition.startsBeforeKilling() || oldTasksGone)) {
			return 0;
		}
		return Math.max(0, this.definition.instances() - currentTasks().size());
	}

	App withDefinition(AppDefinition newDefinition) {
		return new App(newDefinition, this.tasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted, this.awaitedOffer, this.launchAttempt);
	}

	App withDeployment(Deployment newDeployment) {
		return new App(this.definition, this.tasks, newDeployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted, this.awaitedOffer, this.launchAttempt);
	}

	App withTasks(List<Task> newTasks) {
		return new App(this.definition, newTasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted, this.awaitedOffer, this.launchAttempt);
	}

	App withTask(Task task) {
		List<Task> updated = new ArrayList<>();
		boolean replaced = false;
		for (Task existing : this.tasks) {
			boolean same = existing.id().equals(task.id());
			updated.add(same ? task : existing);
			replaced |= same;
		}
		if (!replaced) {
			updated.add(task);
		}
		return withTasks(updated);
	}

	App withoutTask(String taskId) {
		return withTasks(this.tasks.stream().filter((task) -> !task.id().equals(taskId)).toList());
	}

	App withLastTaskFailure(TaskFailure failure) {
		return new App(this.definition, this.tasks, this.deployment, failure, this.failures, this.launchAllowedAt,
				this.deleted, this.awaitedOffer, this.launchAttempt);
	}

	/**
	 * A new launch schedule: after a failure, or reset by a new definition.
	 */
	App withBackoff(int newFailures, Instant newLaunchAllowedAt) {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, newFailures,
				newLaunchAllowedAt, this.deleted, null, this.launchAttempt);
	}

	/**
	 * The agent declined to offer what a launch needs: nothing failed, so the failures
	 * count stays, and the launch is tried again at the given time.
	 */
	App awaitingOffer(String reason, Instant retryAt) {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, this.failures, retryAt,
				this.deleted, reason, this.launchAttempt);
	}

	/**
	 * Adds a task launched with the agent's offer.
	 */
	App launched(Task task) {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted, null, this.launchAttempt)
			.withTask(task);
	}

	App withLaunchAttempt(LaunchAttempt attempt) {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted, this.awaitedOffer, attempt);
	}

	/**
	 * How many instances are left to launch, as Marathon's queue counts them.
	 */
	int leftToLaunch() {
		return this.deleted ? 0 : Math.max(0, this.definition.instances() - currentTasks().size());
	}

	App asDeleted() {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, true, this.awaitedOffer, this.launchAttempt);
	}

}
