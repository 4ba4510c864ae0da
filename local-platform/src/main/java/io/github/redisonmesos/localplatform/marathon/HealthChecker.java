package io.github.redisonmesos.localplatform.marathon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.localplatform.process.Probes;

import org.springframework.stereotype.Component;

/**
 * Runs the health checks that are due: they are chosen from a snapshot, probed without
 * any lock (a slow check never stalls the API), and their results applied in one change.
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
		for (App app : this.registry.snapshot().listed()) {
			for (Task task : app.tasks()) {
				if (!task.running()) {
					continue;
				}
				for (int i = 0; i < task.health().size(); i++) {
					if (!now.isBefore(task.health().get(i).nextDue())) {
						due.add(new Probe(app.id(), task.id(), i, run(task, task.health().get(i).spec())));
					}
				}
			}
		}
		this.registry.change((change) -> {
			// Tasks of apps without checks count as healthy once they run.
			for (App app : change.listed()) {
				for (Task task : app.tasks()) {
					if (task.running() && task.health().isEmpty() && !task.announcedHealthy()) {
						change.put(this.runner.announce(change, change.get(app.id()), task, true));
					}
				}
			}
			due.forEach((probe) -> apply(change, probe));
			return null;
		});
	}

	private boolean run(Task task, HealthCheckSpec spec) {
		if ("COMMAND".equals(spec.protocol())) {
			return task.process().runCheck(spec.command(), spec.timeout());
		}
		int port = (spec.port() != null) ? spec.port() : task.ports().get(spec.portIndex());
		if (HealthCheckSpec.TCP.contains(spec.protocol())) {
			return Probes.tcp(task.agent().host(), port, spec.timeout());
		}
		return Probes.http(task.agent().host(), port, spec.path(), spec.timeout());
	}

	private void apply(Change change, Probe probe) {
		App app = change.find(probe.appId()).orElse(null);
		Task task = (app != null) ? app.task(probe.taskId()).orElse(null) : null;
		if (task == null || !task.running()) {
			return;
		}
		Instant now = Instant.now();
		HealthState state = task.health().get(probe.check());
		HealthCheckSpec spec = state.spec();
		HealthState result;
		if (probe.passed()) {
			result = state.passed(now);
		}
		else {
			boolean inGrace = state.firstSuccess() == null && now.isBefore(task.stagedAt().plus(spec.gracePeriod()));
			Duration next = (state.firstSuccess() == null && spec.interval().compareTo(UNTIL_FIRST_SUCCESS) > 0)
					? UNTIL_FIRST_SUCCESS : spec.interval();
			result = state.failed(now, !inGrace, now.plus(next));
		}
		List<HealthState> health = new ArrayList<>(task.health());
		health.set(probe.check(), result);
		Task checked = task.withHealth(health);
		App updated = app.withTask(checked);
		if (checked.healthy() && !checked.announcedHealthy()) {
			updated = this.runner.announce(change, updated.withBackoff(0, updated.launchAllowedAt()), checked, true);
		}
		else if (!checked.healthy() && checked.announcedHealthy()) {
			updated = this.runner.announce(change, updated, checked, false);
		}
		if (spec.maxConsecutiveFailures() > 0 && result.consecutiveFailures() >= spec.maxConsecutiveFailures()) {
			Task current = updated.task(checked.id()).orElseThrow();
			updated = this.runner.kill(change, updated, current, "Task was killed since health check failed "
					+ result.consecutiveFailures() + " times in a row (" + spec.protocol() + ")");
		}
		change.put(updated);
	}

	private record Probe(String appId, String taskId, int check, boolean passed) {

	}

}
