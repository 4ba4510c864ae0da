package io.github.redisonmesos.localplatform.marathon;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.localplatform.process.LaunchRequest;
import io.github.redisonmesos.localplatform.process.PortAllocator;
import io.github.redisonmesos.localplatform.process.ProcessLauncher;
import io.github.redisonmesos.localplatform.process.TaskProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Starts, kills and buries tasks, and tells observers. Every method expects the
 * registry's lock to be held.
 */
@Component
class TaskRunner {

	private static final Logger logger = LoggerFactory.getLogger(TaskRunner.class);

	private final AppRegistry registry;

	private final ProcessLauncher launcher;

	private final PortAllocator ports;

	private final List<TaskObserver> observers;

	private final ScheduledExecutorService executor;

	TaskRunner(AppRegistry registry, ProcessLauncher launcher, PortAllocator ports, List<TaskObserver> observers,
			ScheduledExecutorService supervisionExecutor) {
		this.registry = registry;
		this.launcher = launcher;
		this.ports = ports;
		this.observers = observers;
		this.executor = supervisionExecutor;
	}

	/**
	 * Starts one task of the app's current version on fresh ports.
	 */
	void launch(App app) {
		AppDefinition definition = app.definition;
		String taskId = app.id().substring(1).replace('/', '_') + ".instance-" + UUID.randomUUID();
		Set<Integer> avoid = new HashSet<>();
		this.registry.supervised().forEach((other) -> other.tasks.forEach((task) -> avoid.addAll(task.ports)));
		avoid.addAll(app.retiredPorts);
		List<Integer> taskPorts = new ArrayList<>();
		List<String> names = new ArrayList<>();
		List<AppDefinition.PortSpec> specs = definition.ports();
		List<Integer> free = this.ports.allocate(specs.size(), avoid);
		for (int i = 0; i < specs.size(); i++) {
			taskPorts.add((specs.get(i).hostPort() != 0) ? specs.get(i).hostPort() : free.get(i));
			names.add(specs.get(i).name());
		}
		Instant now = Instant.now();
		try {
			TaskProcess process = this.launcher.launch(new LaunchRequest(taskId, app.id(), definition.version(),
					definition.cmd(), definition.args(), definition.env(), taskPorts, names, definition.volumes()));
			List<HealthState> health = definition.healthChecks()
				.stream()
				.map((spec) -> new HealthState(spec, now))
				.toList();
			Task task = new Task(taskId, app.id(), definition.version(), List.copyOf(taskPorts), now, process, health);
			app.tasks.add(task);
			process.onExit().thenAcceptAsync((exitCode) -> {
				synchronized (this.registry) {
					ended(app, task, exitCode);
				}
			}, this.executor);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("task.launch-failed appId={} taskId={} reason={}", app.id(), taskId, ex.getMessage());
			failed(app, taskId, definition.version(), "TASK_FAILED", "Failed to launch: " + ex.getMessage());
		}
	}

	/**
	 * Kills a task: SIGTERM now, SIGKILL when the app's kill grace period ends.
	 * @param reason why the platform kills it, recorded as the app's last failure; null
	 * when a client asked for it
	 */
	void kill(App app, Task task, String reason) {
		if (task.killing()) {
			return;
		}
		task.state = Task.KILLING;
		task.killReason = reason;
		notifyGone(app, task);
		logger.info("task.killing taskId={} appId={} reason={}", task.id, app.id(),
				(reason != null) ? reason : "request");
		task.process.terminate();
		task.forcedKill = this.executor.schedule(task.process::kill, app.definition.killGracePeriod().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Sends every task SIGTERM at shutdown; expects the registry's lock.
	 * @return the processes to wait for
	 */
	List<TaskProcess> terminateAll(List<App> apps) {
		List<TaskProcess> processes = new ArrayList<>();
		apps.forEach((app) -> app.tasks.forEach((task) -> {
			task.state = Task.KILLING;
			task.process.terminate();
			processes.add(task.process);
		}));
		return processes;
	}

	/**
	 * Waits (bounded) for terminated processes and kills what is left; must run without
	 * the registry's lock, which exit handling needs.
	 */
	void awaitStopped(List<TaskProcess> processes) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (TaskProcess process : processes) {
			try {
				process.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (Exception ex) {
				process.kill();
			}
			process.cleanUp();
		}
		logger.info("tasks.stopped count={}", processes.size());
	}

	void notifyHealthy(App app, Task task) {
		task.announcedHealthy = true;
		this.observers.forEach((observer) -> observer.taskHealthy(info(app, task)));
	}

	void notifyUnhealthy(App app, Task task) {
		task.announcedHealthy = false;
		this.observers.forEach((observer) -> observer.taskUnhealthy(info(app, task)));
	}

	private void notifyGone(App app, Task task) {
		task.announcedHealthy = false;
		this.observers.forEach((observer) -> observer.taskGone(info(app, task)));
	}

	private void ended(App app, Task task, int exitCode) {
		if (!app.tasks.remove(task)) {
			return;
		}
		if (task.forcedKill != null) {
			task.forcedKill.cancel(false);
		}
		app.retire(task.ports);
		String stderr = task.process.stderrTail();
		task.process.cleanUp();
		if (task.killing()) {
			logger.info("task.killed taskId={} appId={}", task.id, app.id());
			if (task.killReason != null) {
				record(app, task.id, task.version, "TASK_KILLED", task.killReason);
			}
		}
		else {
			notifyGone(app, task);
			String state = (exitCode == 0) ? "TASK_FINISHED" : "TASK_FAILED";
			String message = "Command exited with status " + exitCode + (stderr.isEmpty() ? "" : ": " + stderr);
			logger.warn("task.ended taskId={} appId={} state={} exitCode={}", task.id, app.id(), state, exitCode);
			failed(app, task.id, task.version, state, message);
		}
		if (app.deleted && app.tasks.isEmpty()) {
			this.registry.forget(app);
		}
	}

	private void failed(App app, String taskId, String version, String state, String message) {
		record(app, taskId, version, state, message);
		app.failures++;
		app.launchAllowedAt = Instant.now().plus(app.definition.launchDelay(app.failures));
	}

	private static void record(App app, String taskId, String version, String state, String message) {
		app.lastTaskFailure = new TaskFailure(app.id(), taskId, state, message, MarathonJson.timestamp(Instant.now()),
				version);
	}

	private static TaskInfo info(App app, Task task) {
		List<HealthCheckSpec> checks = app.definition.healthChecks();
		return new TaskInfo(task.id, app.id(), app.definition.labels(), "127.0.0.1", task.ports,
				checks.isEmpty() ? null : checks.get(0).protocol());
	}

}
