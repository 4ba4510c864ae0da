package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.process.ProcessLauncher;
import io.github.redisonmesos.localplatform.process.TaskProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Marathon's scheduler loop: on each tick it brings every app's tasks towards its
 * definition (launching with the agent's offers and with backoff, killing what a
 * deployment replaces, ending finished deployments) and runs due health checks. An app
 * whose ports the agent declines waits, as Marathon's launch queue does, and tries again
 * after its launch delay. It sweeps orphans before the first tick and stops every task
 * when the local platform stops.
 */
@Component
class Supervisor implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(Supervisor.class);

	private final AppRegistry registry;

	private final AppRepository repository;

	private final TaskRunner runner;

	private final OfferMatcher offerMatcher;

	private final HealthChecker healthChecker;

	private final ProcessLauncher launcher;

	private final ScheduledExecutorService executor;

	private final LocalPlatformProperties properties;

	private volatile ScheduledFuture<?> ticks;

	Supervisor(AppRegistry registry, AppRepository repository, TaskRunner runner, OfferMatcher offerMatcher,
			HealthChecker healthChecker, ProcessLauncher launcher, ScheduledExecutorService supervisionExecutor,
			LocalPlatformProperties properties) {
		this.registry = registry;
		this.repository = repository;
		this.runner = runner;
		this.offerMatcher = offerMatcher;
		this.healthChecker = healthChecker;
		this.launcher = launcher;
		this.executor = supervisionExecutor;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.launcher.sweepOrphans();
		List<AppDefinition> definitions = this.repository.loadAll();
		this.registry.change((change) -> {
			definitions.forEach((definition) -> change.put(
					App.created(definition, Deployment.of(definition.version(), definition.id(), "StartApplication"))));
			return null;
		});
		long period = this.properties.supervisionInterval().toMillis();
		this.ticks = this.executor.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
		logger.info("supervisor.started stateDir={}", this.properties.absoluteStateDir());
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.ticks;
		this.ticks = null;
		if (running != null) {
			running.cancel(false);
		}
		this.runner.stopLaunching();
		// A start already queued records its process (or kills it) before the sweep
		// below.
		this.registry.awaitEffects(5000);
		List<TaskProcess> processes = this.registry.change(this.runner::killAllForShutdown);
		this.runner.awaitStopped(processes);
	}

	/**
	 * Before the web server: apps are loaded (and orphans gone) before any client can ask
	 * for them; after the web server on shutdown, so no request starts a task meanwhile.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	@Override
	public boolean isRunning() {
		return this.ticks != null;
	}

	void tick() {
		try {
			if (this.ticks == null) {
				return;
			}
			Instant now = Instant.now();
			try (OfferRound offers = this.offerMatcher.offer(this.registry.snapshot().supervised(), now)) {
				this.registry.change((change) -> {
					change.listed().forEach((app) -> reconcile(change, app, offers, now));
					return null;
				});
			}
			this.healthChecker.runDueChecks();
		}
		catch (RuntimeException ex) {
			// One bad tick must not end supervision: the executor drops a task that
			// throws.
			logger.error("supervisor.tick-failed", ex);
		}
	}

	private void reconcile(Change change, App original, OfferRound offers, Instant now) {
		App app = original;
		AppDefinition definition = app.definition();
		List<Task> current = app.currentTasks();
		int wanted = definition.instances();
		for (int i = current.size() - 1; i >= wanted; i--) {
			app = this.runner.kill(change, app, current.get(i), null);
		}
		boolean startFirst = definition.startsBeforeKilling();
		if (!startFirst) {
			for (Task task : app.tasks()) {
				if (task.replaced()) {
					app = this.runner.kill(change, app, task, null);
				}
			}
		}
		if (app.leftToLaunch() > 0 && app.launchAttempt() == null) {
			app = app.withLaunchAttempt(LaunchAttempt.startedAt(now));
		}
		List<OfferRound.Evaluation> evaluations = offers.evaluations(app);
		for (int due = app.launchesDue(now); due > 0; due--) {
			Optional<OfferRound.Offer> offer = offers.take(app);
			if (offer.isEmpty()) {
				Optional<String> declined = offers.declined(app);
				if (declined.isPresent()) {
					app = awaitOffer(app, declined.get(), now);
				}
				break;
			}
			app = this.runner.launch(change, app, offer.get());
		}
		if (app.launchAttempt() != null) {
			LaunchAttempt attempt = (app.leftToLaunch() > 0) ? app.launchAttempt().processed(evaluations, now) : null;
			if (attempt != app.launchAttempt()) {
				app = app.withLaunchAttempt(attempt);
			}
		}
		current = app.currentTasks();
		long ready = current.stream().filter(Task::ready).count();
		if (startFirst && ready >= wanted) {
			for (Task task : app.tasks()) {
				if (task.replaced()) {
					app = this.runner.kill(change, app, task, null);
				}
			}
		}
		// As in Marathon, a step that kills tasks ends once they are gone.
		boolean leftToKill = app.tasks().stream().anyMatch((task) -> task.replaced() || task.killing());
		if (app.deployment() != null && !leftToKill && current.size() == wanted && ready == wanted) {
			logger.info("deployment.finished appId={} deploymentId={}", app.id(), app.deployment().id());
			app = app.withDeployment(null);
		}
		if (app != original) {
			change.put(app);
		}
	}

	/**
	 * Keeps the app's launch waiting for an offer, as Marathon keeps an app in its launch
	 * queue while no agent's offer matches (its roles, constraints or required ports): no
	 * task, no failure, the deployment in flight.
	 */
	private static App awaitOffer(App app, String reason, Instant now) {
		if (!reason.equals(app.awaitedOffer())) {
			logger.info("task.awaiting-offer appId={} reason={}", app.id(), reason);
		}
		// Nothing failed: the retry keeps the app's launch delay without growing it.
		return app.awaitingOffer(reason, now.plus(app.definition().launchDelay(Math.max(1, app.failures()))));
	}

}
