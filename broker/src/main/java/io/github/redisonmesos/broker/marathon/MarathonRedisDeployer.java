package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.remote.RemoteClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * {@link RedisDeployer} on Marathon's REST API (shapes in fixtures/marathon): one app
 * {@code /<group>/<instance-id>} per instance, rendered from the app template. Paths are
 * built from encoded segments, so no id can change a URL's shape.
 */
@Component
class MarathonRedisDeployer implements RedisDeployer {

	private static final Logger logger = LoggerFactory.getLogger(MarathonRedisDeployer.class);

	static final String PLAN_LABEL = "osb_plan_id";

	private final RemoteClient marathon;

	private final DeploymentLock deploymentLock;

	private final RedisAppDefinitions definitions;

	private final Optional<PortRange> redisPorts;

	MarathonRedisDeployer(MarathonProperties properties, RestClient.Builder builder, Clock clock, MeterRegistry meters,
			ObjectMapper objectMapper) {
		this.marathon = new RemoteClient("Marathon", properties.url(), "MARATHON_URL", null, properties.timeout(),
				builder, meters);
		this.deploymentLock = new DeploymentLock(properties.lockedWait(), clock, DeploymentLock.Sleeper.THREAD);
		this.definitions = new RedisAppDefinitions(properties, objectMapper);
		this.redisPorts = properties.redisPortRange();
		if (this.redisPorts.isEmpty()) {
			logger.warn("event=dynamic_redis_ports broker.marathon.redis-ports is not set: each Redis gets the port "
					+ "Marathon gives, which changes on every restart, and apps that do not ask Consul again lose "
					+ "it; set BROKER_MARATHON_REDIS_PORTS to a range the agents offer (docs: README, Deploying)");
		}
	}

	@Override
	public Optional<PortRange> redisPorts() {
		return this.redisPorts;
	}

	@Override
	public boolean deploy(RedisDeployment deployment) {
		String appId = this.definitions.appId(deployment.instanceId());
		JsonNode app = this.definitions.render(deployment);
		return this.marathon.call("app_create", () -> {
			try {
				refusedDefinitionIsFatal(appId,
						() -> this.deploymentLock.waitOut(appId,
								() -> this.marathon.restClient()
									.post()
									.uri(this.marathon.uri(List.of("v2", "apps"), false, ""))
									.contentType(MediaType.APPLICATION_JSON)
									.body(app)
									.retrieve()
									.toBodilessEntity()));
				return true;
			}
			catch (HttpClientErrorException.Conflict ex) {
				if (!DeploymentLock.body(ex).path("message").asText("").contains("already exists")) {
					throw ex;
				}
				// the id is derived from the instance id: an app for this instance is
				// there already
				logger.info("event=marathon_app_exists app_id={}", appId);
				return false;
			}
		});
	}

	@Override
	public void redeploy(RedisDeployment deployment) {
		String appId = this.definitions.appId(deployment.instanceId());
		JsonNode app = this.definitions.render(deployment);
		this.marathon.call("app_update",
				() -> refusedDefinitionIsFatal(appId,
						() -> this.deploymentLock.waitOut(appId,
								() -> this.marathon.restClient()
									.put()
									.uri(appUri(deployment.instanceId(), ""))
									.contentType(MediaType.APPLICATION_JSON)
									.body(app)
									.retrieve()
									.toBodilessEntity())));
	}

	@Override
	public void undeploy(String instanceId) {
		this.marathon.call("app_delete", () -> {
			try {
				// force: a Redis task that never gets healthy keeps its deployment
				// running forever, and deprovisioning must still remove it
				return this.marathon.restClient()
					.delete()
					.uri(appUri(instanceId, "?force=true"))
					.retrieve()
					.toBodilessEntity();
			}
			catch (HttpClientErrorException.NotFound ex) {
				return null;
			}
		});
	}

	@Override
	public Optional<DeploymentStatus> status(String instanceId) {
		return this.marathon.call("app_get", () -> {
			try {
				JsonNode body = this.marathon.restClient()
					.get()
					.uri(appUri(instanceId, ""))
					.retrieve()
					.body(JsonNode.class);
				return Optional.ofNullable(body).map((node) -> status(node.path("app")));
			}
			catch (HttpClientErrorException.NotFound ex) {
				return Optional.empty();
			}
		});
	}

	@Override
	public List<String> deployedInstances() {
		JsonNode body = this.marathon.call("apps_list",
				() -> this.marathon.restClient()
					.get()
					.uri(this.marathon.uri(List.of("v2", "apps"), false, ""))
					.retrieve()
					.body(JsonNode.class));
		String group = "/" + this.definitions.group() + "/";
		List<String> instances = new ArrayList<>();
		for (JsonNode app : (body != null) ? body.path("apps") : List.<JsonNode>of()) {
			String id = app.path("id").asText();
			if (id.startsWith(group) && id.indexOf('/', group.length()) < 0) {
				instances.add(id.substring(group.length()));
			}
		}
		return instances;
	}

	/**
	 * Check that Marathon answers; used by the health indicator.
	 */
	void ping() {
		this.marathon.call("ping",
				() -> this.marathon.restClient()
					.get()
					.uri(this.marathon.uri(List.of("ping"), false, ""))
					.retrieve()
					.toBodilessEntity());
	}

	private URI appUri(String instanceId, String query) {
		return this.marathon.uri(List.of("v2", "apps", this.definitions.group(), instanceId), false, query);
	}

	// a definition Marathon refuses (400, 422) is refused again on every retry: it is the
	// template to fix, not Marathon to wait for
	private <T> T refusedDefinitionIsFatal(String appId, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (HttpClientErrorException.BadRequest | HttpClientErrorException.UnprocessableEntity ex) {
			throw new ServiceBrokerException("Marathon at " + this.marathon + " refused the app definition of " + appId
					+ " (" + ex.getStatusCode().value() + ": " + DeploymentLock.body(ex).toString()
					+ "); retrying will not help: check the app template (broker.marathon.app-template).", ex);
		}
	}

	private static DeploymentStatus status(JsonNode app) {
		JsonNode failure = app.path("lastTaskFailure");
		DeploymentStatus.TaskFailure lastTaskFailure = null;
		if (failure.isObject()) {
			lastTaskFailure = new DeploymentStatus.TaskFailure(failure.path("message").asText(""),
					Instant.parse(failure.path("timestamp").asText("1970-01-01T00:00:00Z")));
		}
		return new DeploymentStatus(app.path("labels").path(PLAN_LABEL).asText(null), app.path("deployments").size(),
				app.path("tasksHealthy").asInt(0), lastTaskFailure);
	}

	@Override
	public String toString() {
		return this.marathon.toString();
	}

}
