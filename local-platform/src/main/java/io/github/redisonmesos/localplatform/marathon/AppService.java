package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The app operations of the API. Each checks, changes the definition and opens a
 * deployment; the supervisor then carries the deployment out.
 */
@Component
class AppService {

	private static final Logger logger = LoggerFactory.getLogger(AppService.class);

	private final AppRegistry registry;

	private final AppRepository repository;

	private final TaskRunner runner;

	private final AppValidator validator = new AppValidator(System.getenv().getOrDefault("PATH", ""));

	AppService(AppRegistry registry, AppRepository repository, TaskRunner runner) {
		this.registry = registry;
		this.repository = repository;
		this.runner = runner;
	}

	/**
	 * A new app as the create answer shows it, rendered before the supervisor can move
	 * on.
	 */
	record Created(String appId, Deployment deployment, ObjectNode body) {

	}

	Created create(JsonNode request) {
		this.validator.checkTypes(request);
		this.validator.checkRules((ObjectNode) request);
		String version = MarathonJson.timestamp(Instant.now());
		AppDefinition definition = AppDefinition.normalize((ObjectNode) request, version);
		synchronized (this.registry) {
			if (this.registry.find(definition.id()).isPresent()) {
				throw MarathonException.appExists(definition.id());
			}
			this.registry.stoppingWithId(definition.id()).ifPresent((stopping) -> {
				throw MarathonException.locked(stopping.deployment.id());
			});
			App app = new App(definition);
			app.deployment = Deployment.of(version, app.id(), "StartApplication");
			this.repository.save(definition);
			this.registry.add(app);
			logger.info("app.created appId={} deploymentId={}", app.id(), app.deployment.id());
			return new Created(app.id(), app.deployment, MarathonJson.app(app, false, false));
		}
	}

	/**
	 * Replaces or patches a definition ({@code partialUpdate}, true by default as in
	 * Marathon 1.x); creates the app when it does not exist.
	 * @return the deployment and whether the app was created
	 */
	Map.Entry<Deployment, Boolean> update(String appId, JsonNode request, boolean partialUpdate, boolean force) {
		this.validator.checkTypes(request);
		synchronized (this.registry) {
			App app = this.registry.find(appId).orElse(null);
			if (app == null) {
				ObjectNode body = ((ObjectNode) request).deepCopy();
				body.put("id", appId);
				return Map.entry(create(body).deployment(), true);
			}
			checkUnlocked(app, force);
			ObjectNode merged = partialUpdate ? app.definition.json().deepCopy() : ((ObjectNode) request).deepCopy();
			if (partialUpdate) {
				merged.setAll((ObjectNode) request);
			}
			merged.put("id", appId);
			merged.remove("version");
			merged.remove("versionInfo");
			this.validator.checkRules(merged);
			boolean scaleOnly = onlyInstancesDiffer(app.definition.json(), merged);
			String version = MarathonJson.timestamp(Instant.now());
			AppDefinition definition = AppDefinition.normalize(merged, version);
			if (scaleOnly) {
				definition = app.definition.withVersion(version, false);
				definition.json().put("instances", merged.path("instances").asInt());
			}
			app.definition = definition;
			if (!scaleOnly) {
				app.tasks.forEach((task) -> task.replaced = true);
			}
			app.failures = 0;
			app.launchAllowedAt = Instant.EPOCH;
			app.deployment = Deployment.of(version, appId, scaleOnly ? "ScaleApplication" : "RestartApplication");
			this.repository.save(definition);
			logger.info("app.updated appId={} deploymentId={} scaleOnly={}", appId, app.deployment.id(), scaleOnly);
			return Map.entry(app.deployment, false);
		}
	}

	Deployment restart(String appId, boolean force) {
		synchronized (this.registry) {
			App app = this.registry.get(appId);
			checkUnlocked(app, force);
			String version = MarathonJson.timestamp(Instant.now());
			app.definition = app.definition.withVersion(version, true);
			app.tasks.forEach((task) -> task.replaced = true);
			app.deployment = Deployment.of(version, appId, "RestartApplication");
			this.repository.save(app.definition);
			logger.info("app.restarting appId={} deploymentId={}", appId, app.deployment.id());
			return app.deployment;
		}
	}

	Deployment delete(String appId, boolean force) {
		synchronized (this.registry) {
			App app = this.registry.get(appId);
			checkUnlocked(app, force);
			String version = MarathonJson.timestamp(Instant.now());
			app.deployment = Deployment.of(version, appId, "StopApplication");
			this.registry.markDeleted(app);
			this.repository.delete(appId);
			app.tasks.forEach((task) -> this.runner.kill(app, task, null));
			if (app.tasks.isEmpty()) {
				this.registry.forget(app);
			}
			logger.info("app.deleted appId={} deploymentId={}", appId, app.deployment.id());
			return app.deployment;
		}
	}

	private static void checkUnlocked(App app, boolean force) {
		if (app.deployment != null && !force) {
			throw MarathonException.locked(app.deployment.id());
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
