package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The app and task operations of the API. Each checks, stores a changed definition
 * durably, then commits the change (with a deployment) to the registry; the supervisor
 * carries the deployment out. A definition that cannot be stored changes nothing.
 */
@Component
class AppService {

	private static final Logger logger = LoggerFactory.getLogger(AppService.class);

	private final AppRegistry registry;

	private final AppRepository repository;

	private final TaskRunner runner;

	private final AppValidator validator;

	// API writes run one at a time: each stores its definition before it commits, so
	// the files on disk always follow the order of the commits. Reads never take it.
	private final Object writes = new Object();

	AppService(AppRegistry registry, AppRepository repository, TaskRunner runner, AppValidator validator) {
		this.registry = registry;
		this.repository = repository;
		this.runner = runner;
		this.validator = validator;
	}

	/**
	 * Creates an app.
	 * @return the app as the create answer shows it, before the supervisor moves on
	 */
	App create(JsonNode request) {
		this.validator.validateNew(request);
		String version = MarathonJson.timestamp(Instant.now());
		AppDefinition definition = AppDefinition.normalize((ObjectNode) request, version);
		synchronized (this.writes) {
			Apps apps = this.registry.snapshot();
			if (apps.find(definition.id()).isPresent()) {
				throw MarathonException.appExists(definition.id());
			}
			apps.stopping(definition.id()).ifPresent((stopping) -> {
				throw MarathonException.locked(stopping.deployment().id());
			});
			this.repository.save(definition);
			App app = App.created(definition, Deployment.of(version, definition.id(), "StartApplication"));
			this.registry.change((change) -> {
				change.put(app);
				return null;
			});
			logger.info("app.created appId={} deploymentId={}", app.id(), app.deployment().id());
			return app;
		}
	}

	/**
	 * Replaces or patches a definition ({@code partialUpdate}, true by default as in
	 * Marathon 1.x); creates the app when it does not exist.
	 * @return the deployment and whether the app was created
	 */
	Map.Entry<Deployment, Boolean> update(String appId, JsonNode request, boolean partialUpdate, boolean force) {
		this.validator.validatePatch(request);
		synchronized (this.writes) {
			App app = this.registry.snapshot().find(appId).orElse(null);
			if (app == null) {
				ObjectNode body = ((ObjectNode) request).deepCopy();
				body.put("id", appId);
				return Map.entry(create(body).deployment(), true);
			}
			checkUnlocked(app, force);
			ObjectNode merged = partialUpdate ? app.definition().json().deepCopy() : ((ObjectNode) request).deepCopy();
			if (partialUpdate) {
				merged.setAll((ObjectNode) request);
			}
			merged.put("id", appId);
			merged.remove("version");
			merged.remove("versionInfo");
			this.validator.checkRules(merged);
			boolean scaleOnly = onlyInstancesDiffer(app.definition().json(), merged);
			String version = MarathonJson.timestamp(Instant.now());
			AppDefinition definition = scaleOnly
					? app.definition().withInstances(merged.path("instances").asInt(), version)
					: AppDefinition.normalize(merged, version);
			Deployment deployment = Deployment.of(version, appId,
					scaleOnly ? "ScaleApplication" : "RestartApplication");
			this.repository.save(definition);
			this.registry.change((change) -> {
				App current = change.get(appId);
				List<Task> tasks = scaleOnly ? current.tasks()
						: current.tasks().stream().map(Task::asReplaced).toList();
				change.put(current.withDefinition(definition)
					.withTasks(tasks)
					.withBackoff(0, Instant.EPOCH)
					.withDeployment(deployment));
				return null;
			});
			logger.info("app.updated appId={} deploymentId={} scaleOnly={}", appId, deployment.id(), scaleOnly);
			return Map.entry(deployment, false);
		}
	}

	Deployment restart(String appId, boolean force) {
		synchronized (this.writes) {
			App app = this.registry.snapshot().get(appId);
			checkUnlocked(app, force);
			String version = MarathonJson.timestamp(Instant.now());
			AppDefinition definition = app.definition().withVersion(version, true);
			Deployment deployment = Deployment.of(version, appId, "RestartApplication");
			this.repository.save(definition);
			this.registry.change((change) -> {
				App current = change.get(appId);
				change.put(current.withDefinition(definition)
					.withTasks(current.tasks().stream().map(Task::asReplaced).toList())
					.withDeployment(deployment));
				return null;
			});
			logger.info("app.restarting appId={} deploymentId={}", appId, deployment.id());
			return deployment;
		}
	}

	Deployment delete(String appId, boolean force) {
		synchronized (this.writes) {
			App app = this.registry.snapshot().get(appId);
			checkUnlocked(app, force);
			Deployment deployment = Deployment.of(MarathonJson.timestamp(Instant.now()), appId, "StopApplication");
			this.repository.delete(appId);
			this.registry.change((change) -> {
				App current = change.get(appId).asDeleted().withDeployment(deployment);
				for (Task task : current.tasks()) {
					current = this.runner.kill(change, current, task, null);
				}
				change.put(current);
				return null;
			});
			logger.info("app.deleted appId={} deploymentId={}", appId, deployment.id());
			return deployment;
		}
	}

	/**
	 * Kills tasks of one app, as {@code DELETE /v2/apps/{id}/tasks[/{taskId}]} does.
	 * @param appId the app
	 * @param which the tasks to kill
	 * @return the tasks as they were when killed; the supervisor replaces them
	 */
	List<Task> kill(String appId, Predicate<Task> which) {
		return this.registry.change((change) -> {
			App app = change.get(appId);
			List<Task> killed = app.tasks().stream().filter(which).toList();
			for (Task task : killed) {
				app = this.runner.kill(change, app, app.task(task.id()).orElseThrow(), null);
			}
			change.put(app);
			return killed;
		});
	}

	/**
	 * Kills tasks and scales their apps down by as many, in one deployment, as
	 * {@code ?scale=true} does.
	 * @param which the tasks to kill, per app id
	 * @param force whether to override the apps' deployments
	 * @return the deployment
	 */
	Deployment killAndScale(Map<String, Predicate<Task>> which, boolean force) {
		synchronized (this.writes) {
			Apps apps = this.registry.snapshot();
			String version = MarathonJson.timestamp(Instant.now());
			Deployment deployment = Deployment.of(version, String.join(",", which.keySet()), "ScaleApplication");
			Map<String, AppDefinition> scaled = new LinkedHashMap<>();
			for (Map.Entry<String, Predicate<Task>> entry : which.entrySet()) {
				App app = apps.get(entry.getKey());
				checkUnlocked(app, force);
				// Only tasks not already being killed count, and never below zero.
				long doomed = app.tasks().stream().filter((task) -> !task.killing()).filter(entry.getValue()).count();
				int instances = (int) Math.max(0, app.definition().instances() - doomed);
				scaled.put(app.id(), app.definition().withInstances(instances, version));
			}
			scaled.values().forEach(this.repository::save);
			this.registry.change((change) -> {
				scaled.forEach((appId, definition) -> {
					App app = change.get(appId).withDefinition(definition).withDeployment(deployment.forApp(appId));
					for (Task task : new ArrayList<>(app.tasks())) {
						if (!task.killing() && which.get(appId).test(task)) {
							app = this.runner.kill(change, app, task, null);
						}
					}
					change.put(app);
				});
				return null;
			});
			logger.info("tasks.killed-and-scaled apps={} deploymentId={}", scaled.keySet(), deployment.id());
			return deployment;
		}
	}

	private static void checkUnlocked(App app, boolean force) {
		if (app.deployment() != null && !force) {
			throw MarathonException.locked(app.deployment().id());
		}
	}

	private static boolean onlyInstancesDiffer(ObjectNode before, ObjectNode after) {
		ObjectNode left = before.deepCopy();
		ObjectNode right = after.deepCopy();
		for (ObjectNode node : new ObjectNode[] { left, right }) {
			for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
				String name = names.next();
				if (name.equals("instances") || name.equals("version") || name.equals("versionInfo")) {
					names.remove();
				}
			}
		}
		return AppDefinition.normalize(left, "").json().equals(AppDefinition.normalize(right, "").json());
	}

}
