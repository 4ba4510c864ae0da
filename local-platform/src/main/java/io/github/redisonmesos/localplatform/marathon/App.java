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
 */
record App(AppDefinition definition, List<Task> tasks, Deployment deployment, TaskFailure lastTaskFailure, int failures,
		Instant launchAllowedAt, boolean deleted) {

	App {
		tasks = List.copyOf(tasks);
	}

	static App created(AppDefinition definition, Deployment deployment) {
		return new App(definition, List.of(), deployment, null, 0, Instant.EPOCH, false);
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

	App withDefinition(AppDefinition newDefinition) {
		return new App(newDefinition, this.tasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted);
	}

	App withDeployment(Deployment newDeployment) {
		return new App(this.definition, this.tasks, newDeployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted);
	}

	App withTasks(List<Task> newTasks) {
		return new App(this.definition, newTasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, this.deleted);
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
				this.deleted);
	}

	App withBackoff(int newFailures, Instant newLaunchAllowedAt) {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, newFailures,
				newLaunchAllowedAt, this.deleted);
	}

	App asDeleted() {
		return new App(this.definition, this.tasks, this.deployment, this.lastTaskFailure, this.failures,
				this.launchAllowedAt, true);
	}

}
