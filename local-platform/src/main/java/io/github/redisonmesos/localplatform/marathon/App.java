package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An app and what runs for it. Mutated only under the registry's lock.
 */
final class App {

	AppDefinition definition;

	final List<Task> tasks = new ArrayList<>();

	Deployment deployment;

	TaskFailure lastTaskFailure;

	// Consecutive launches that ended in failure, for Marathon's launch backoff.
	int failures;

	Instant launchAllowedAt = Instant.EPOCH;

	// Ports of ended tasks, so a replacement never lands on the port its predecessor had.
	final Deque<Integer> retiredPorts = new ArrayDeque<>();

	// Deleted: no longer listed, kept only until its tasks have stopped.
	boolean deleted;

	App(AppDefinition definition) {
		this.definition = definition;
	}

	String id() {
		return this.definition.id();
	}

	void retire(List<Integer> ports) {
		ports.forEach(this.retiredPorts::addLast);
		while (this.retiredPorts.size() > 16) {
			this.retiredPorts.removeFirst();
		}
	}

	List<Task> currentTasks() {
		return this.tasks.stream().filter(Task::current).toList();
	}

}
