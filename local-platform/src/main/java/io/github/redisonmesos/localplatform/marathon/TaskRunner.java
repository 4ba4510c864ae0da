package io.github.redisonmesos.localplatform.marathon;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * A task's life: launch, kill and end as changes of the registry's state, with the
 * process work they cause as effects that run after the change, outside the lock.
 */
@Component
class TaskRunner {

	private static final Logger logger = LoggerFactory.getLogger(TaskRunner.class);

	private final AppRegistry registry;

	private final ProcessLauncher launcher;

	private final PortAllocator ports;

	private final List<TaskObserver> observers;

	private final ScheduledExecutorService executor;

	// Set at shutdown: a start still queued then must not leave a process behind.
	private volatile boolean stopping;

	TaskRunner(AppRegistry registry, ProcessLauncher launcher, PortAllocator ports, List<TaskObserver> observers,
			ScheduledExecutorService supervisionExecutor) {
		this.registry = registry;
		this.launcher = launcher;
		this.ports = ports;
		this.observers = observers;
		this.executor = supervisionExecutor;
	}

	/**
	 * Adds a staging task of the app's current version; its process starts after the
	 * change.
	 * @param offer the agent and the host ports it offered, reserved until the task ends
	 */
	App launch(Change change, App app, OfferRound.Offer offer) {
		List<Integer> ports = offer.ports();
		AppDefinition definition = app.definition();
		String taskId = app.id().substring(1).replace('/', '_') + ".instance-" + UUID.randomUUID();
		Instant now = Instant.now();
		List<HealthState> health = definition.healthChecks()
			.stream()
			.map((spec) -> HealthState.first(spec, now))
			.toList();
		change.after(() -> start(app.id(), taskId, definition, ports, offer.agent().host()));
		return app.launched(Task.staging(taskId, app.id(), definition.version(), now, ports, offer.agent(), health));
	}

	/**
	 * Kills a task: SIGTERM after the change, SIGKILL when the app's kill grace period
	 * ends.
	 * @param reason why the platform kills it, recorded as the app's last failure; null
	 * when a client asked for it
	 */
	App kill(Change change, App app, Task task, String reason) {
		if (task.killing()) {
			return app;
		}
		logger.info("task.killing taskId={} appId={} reason={}", task.id(), app.id(),
				(reason != null) ? reason : "request");
		notifyGone(change, app, task);
		TaskProcess process = task.process();
		if (process != null) {
			long grace = app.definition().killGracePeriod().toMillis();
			change.after(() -> terminate(process, grace));
		}
		// A task still staging is terminated as soon as its process has started.
		return app.withTask(task.killed(reason));
	}

	/**
	 * Its agent is lost: the task is reported lost and goes from Consul at once, and no
	 * longer counts for the app, which replaces it at once; its process (which the caller
	 * kills) ends it. Nothing failed, so the launch delay does not grow.
	 * @param message what Mesos says about the agent
	 */
	App lose(Change change, App app, Task task, String message) {
		logger.warn("task.lost taskId={} appId={} host={} reason={}", task.id(), app.id(), task.agent().host(),
				message);
		notifyGone(change, app, task);
		return app.withTask(task.asLost(message));
	}

	/**
	 * Marks every task killing at shutdown, without effects: the caller signals the
	 * processes itself and waits for them.
	 * @return the processes to stop
	 */
	List<TaskProcess> killAllForShutdown(Change change) {
		List<TaskProcess> processes = new ArrayList<>();
		for (App app : change.supervised()) {
			app.tasks().stream().map(Task::process).filter((process) -> process != null).forEach(processes::add);
			change.put(app.withTasks(app.tasks().stream().map((task) -> task.killed(null)).toList()));
		}
		return processes;
	}

	void stopLaunching() {
		this.stopping = true;
	}

	/**
	 * Waits (bounded) for terminated processes and kills what is left; must run outside
	 * any change, as exit handling makes changes.
	 */
	void awaitStopped(List<TaskProcess> processes) {
		processes.forEach(TaskProcess::terminate);
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

	App announce(Change change, App app, Task task, boolean healthy) {
		TaskInfo info = info(app, task);
		if (healthy) {
			change.after(() -> this.observers.forEach((observer) -> observer.taskHealthy(info)));
		}
		else {
			change.after(() -> this.observers.forEach((observer) -> observer.taskUnhealthy(info)));
		}
		return app.withTask(task.announced(healthy));
	}

	/**
	 * Effect: starts the process and records it in the task.
	 */
	private void start(String appId, String taskId, AppDefinition definition, List<Integer> taskPorts, String host) {
		TaskProcess process;
		try {
			if (this.stopping) {
				throw new IllegalStateException("the local platform is stopping");
			}
			process = this.launcher.launch(new LaunchRequest(taskId, appId, definition.version(), definition.cmd(),
					definition.args(), definition.env(), taskPorts,
					definition.ports().stream().map(AppDefinition.PortSpec::name).toList(), definition.volumes(), host,
					definition.fetch()));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("task.launch-failed appId={} taskId={} reason={}", appId, taskId, ex.getMessage());
			this.ports.release(taskPorts);
			this.registry.change((change) -> {
				change.supervised(appId)
					.flatMap((app) -> app.task(taskId)
						.map((task) -> failed(app.withoutTask(taskId), task, "TASK_FAILED",
								"Failed to launch: " + ex.getMessage())))
					.ifPresent(change::put);
				return null;
			});
			return;
		}
		this.registry.change((change) -> {
			change.supervised(appId)
				.flatMap((app) -> app.task(taskId).map((task) -> app.withTask(task.started(process))))
				.ifPresent(change::put);
			boolean wanted = change.supervised(appId)
				.flatMap((app) -> app.task(taskId))
				.map(Task::current)
				.orElse(false);
			if (!wanted || this.stopping) {
				long grace = definition.killGracePeriod().toMillis();
				change.after(() -> terminate(process, grace));
			}
			return null;
		});
		process.onExit().thenAcceptAsync((exitCode) -> this.registry.change((change) -> {
			change.supervised(appId).ifPresent((app) -> ended(change, app, taskId, exitCode));
			return null;
		}), this.executor);
	}

	private void ended(Change change, App app, String taskId, int exitCode) {
		Task task = app.task(taskId).orElse(null);
		if (task == null) {
			return;
		}
		App updated = app.withoutTask(taskId);
		TaskProcess process = task.process();
		// Released with the change, not after it: the process is gone, and the next
		// offer may hand a required port straight to the task's successor.
		this.ports.release(task.ports());
		change.after(process::cleanUp);
		if (task.lost()) {
			logger.info("task.gone-with-agent taskId={} appId={} host={}", taskId, app.id(), task.agent().host());
			updated = updated.withLastTaskFailure(failure(app, task, task.state(), task.killReason()));
		}
		else if (task.killing()) {
			logger.info("task.killed taskId={} appId={}", taskId, app.id());
			if (task.killReason() != null) {
				updated = updated.withLastTaskFailure(failure(app, task, "TASK_KILLED", task.killReason()));
			}
		}
		else {
			notifyGone(change, app, task);
			String state = (exitCode == 0) ? "TASK_FINISHED" : "TASK_FAILED";
			String stderr = process.stderrTail();
			String message = exitMessage(exitCode) + (stderr.isEmpty() ? "" : ": " + stderr);
			logger.warn("task.ended taskId={} appId={} state={} exitCode={}", taskId, app.id(), state, exitCode);
			updated = failed(updated, task, state, message);
		}
		change.put(updated);
	}

	// Like Mesos' executor: a signal is named, not hidden in a shell's exit status.
	static String exitMessage(int exitCode) {
		return (exitCode > 128 && exitCode < 160) ? "Command terminated with signal " + (exitCode - 128)
				: "Command exited with status " + exitCode;
	}

	private static App failed(App app, Task task, String state, String message) {
		int failures = app.failures() + 1;
		return app.withLastTaskFailure(failure(app, task, state, message))
			.withBackoff(failures, Instant.now().plus(app.definition().launchDelay(failures)));
	}

	private static TaskFailure failure(App app, Task task, String state, String message) {
		return new TaskFailure(app.id(), task.id(), state, message, MarathonJson.timestamp(Instant.now()),
				task.version(), task.agent());
	}

	private void notifyGone(Change change, App app, Task task) {
		TaskInfo info = info(app, task);
		// Observers never heard of a task whose process has not started.
		if (task.process() != null) {
			change.after(() -> this.observers.forEach((observer) -> observer.taskGone(info)));
		}
	}

	private void terminate(TaskProcess process, long graceMillis) {
		process.terminate();
		this.executor.schedule(() -> {
			if (process.isAlive()) {
				process.kill();
			}
		}, graceMillis, TimeUnit.MILLISECONDS);
	}

	private static TaskInfo info(App app, Task task) {
		AppDefinition definition = app.definition();
		List<HealthCheckSpec> specs = definition.healthChecks();
		// marathon-consul reads the app as Marathon serves it now (a task of an older
		// version may have other checks) with the task's result of each check.
		List<TaskInfo.HealthCheck> checks = new ArrayList<>();
		for (int i = 0; i < specs.size(); i++) {
			HealthCheckSpec spec = specs.get(i);
			Boolean alive = (i < task.health().size() && task.health().get(i).spec().equals(spec))
					? task.health().get(i).alive() : null;
			checks.add(new TaskInfo.HealthCheck(spec.protocol(), spec.portIndex(), spec.port(), spec.path(),
					spec.command(), spec.interval(), spec.timeout(), alive));
		}
		return new TaskInfo(task.id(), app.id(), definition.labels(), task.agent().host(), task.ports(),
				definition.portDefinitions(), checks);
	}

}
