package io.github.redisonmesos.localplatform.marathon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.localplatform.process.Probes;

import org.springframework.stereotype.Component;

/**
 * Runs the health checks that are due. Probes run outside the registry's lock so a slow
 * check never stalls the API; results are applied under it.
 */
@Component
class HealthChecker {

	// Until a task first passes, it is probed this often (at most its interval), so a new
	// task is seen healthy quickly instead of after a whole interval.
	private static final Duration UNTIL_FIRST_SUCCESS = Duration.ofSeconds(1);

	private final AppRegistry registry;

	private final TaskRunner runner;

	HealthChecker(AppRegistry registry, TaskRunner runner) {
		this.registry = registry;
		this.runner = runner;
	}

	void runDueChecks() {
		List<Probe> due = new ArrayList<>();
		Instant now = Instant.now();
		synchronized (this.registry) {
			for (App app : this.registry.listed()) {
				for (Task task : app.tasks) {
					if (task.killing()) {
						continue;
					}
					if (task.health.isEmpty() && !task.announcedHealthy) {
						this.runner.notifyHealthy(app, task);
					}
					for (HealthState state : task.health) {
						if (!now.isBefore(state.nextDue)) {
							due.add(new Probe(app, task, state));
						}
					}
				}
			}
		}
		for (Probe probe : due) {
			probe.passed = run(probe.task, probe.state.spec);
		}
		synchronized (this.registry) {
			due.forEach(this::apply);
		}
	}

	private boolean run(Task task, HealthCheckSpec spec) {
		if ("COMMAND".equals(spec.protocol())) {
			return task.process.runCheck(spec.command(), spec.timeout());
		}
		int port = (spec.port() != null) ? spec.port() : task.ports.get(spec.portIndex());
		if (HealthCheckSpec.TCP.contains(spec.protocol())) {
			return Probes.tcp(port, spec.timeout());
		}
		return Probes.http(port, spec.path(), spec.timeout());
	}

	private void apply(Probe probe) {
		Task task = probe.task;
		HealthState state = probe.state;
		if (task.killing() || !probe.app.tasks.contains(task)) {
			return;
		}
		Instant now = Instant.now();
		HealthCheckSpec spec = state.spec;
		if (probe.passed) {
			state.alive = true;
			state.consecutiveFailures = 0;
			state.firstSuccess = (state.firstSuccess != null) ? state.firstSuccess : now;
			state.lastSuccess = now;
			state.nextDue = now.plus(spec.interval());
		}
		else {
			boolean inGrace = state.firstSuccess == null && now.isBefore(task.stagedAt.plus(spec.gracePeriod()));
			state.lastFailure = now;
			state.lastFailureCause = spec.protocol() + " check failed";
			state.nextDue = now.plus((state.firstSuccess == null && spec.interval().compareTo(UNTIL_FIRST_SUCCESS) > 0)
					? UNTIL_FIRST_SUCCESS : spec.interval());
			if (!inGrace) {
				state.alive = false;
				state.consecutiveFailures++;
			}
		}
		if (task.healthy() && !task.announcedHealthy) {
			probe.app.failures = 0;
			this.runner.notifyHealthy(probe.app, task);
		}
		else if (!task.healthy() && task.announcedHealthy) {
			this.runner.notifyUnhealthy(probe.app, task);
		}
		if (spec.maxConsecutiveFailures() > 0 && state.consecutiveFailures >= spec.maxConsecutiveFailures()) {
			this.runner.kill(probe.app, task, "Task was killed since health check failed " + state.consecutiveFailures
					+ " times in a row (" + spec.protocol() + ")");
		}
	}

	private static final class Probe {

		final App app;

		final Task task;

		final HealthState state;

		boolean passed;

		Probe(App app, Task task, HealthState state) {
			this.app = app;
			this.task = task;
			this.state = state;
		}

	}

}
