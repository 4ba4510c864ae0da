package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.remote.RemoteClient;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.redisonmesos.broker.tls.TlsDeliveries;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/**
 * {@link RedisDeployer} on Marathon's REST API (shapes in fixtures/marathon): one app
 * {@code /<group>/<instance-id>} per instance, rendered from the app template. Paths are
 * built from encoded segments, so no id can change a URL's shape.
 */
@Component
class MarathonRedisDeployer implements RedisDeployer {

	private static final Logger logger = LoggerFactory.getLogger(MarathonRedisDeployer.class);

	static final String PLAN_LABEL = "osb_plan_id";

	// below the group: <instance-id>, or <instance-id>/node-<n> for a node of an HA
	// instance; anything deeper or otherwise named is not the broker's
	private static final Pattern INSTANCE_APP = Pattern.compile("([^/]+)(?:/node-(\\d+))?");

	private final RemoteClient marathon;

	private final DeploymentLock deploymentLock;

	private final RedisAppDefinitions definitions;

	private final Optional<PortRange> redisPorts;

	MarathonRedisDeployer(MarathonProperties properties, MarathonCredentials credentials, TlsProperties tls,
			SslBundles bundles, RestClient.Builder builder, Clock clock, MeterRegistry meters,
			ObjectMapper objectMapper) {
		this(properties, credentials, tls, bundles, builder, clock, meters, objectMapper, null);
	}

	@Autowired
	MarathonRedisDeployer(MarathonProperties properties, MarathonCredentials credentials, TlsProperties tls,
			SslBundles bundles, RestClient.Builder builder, Clock clock, MeterRegistry meters,
			ObjectMapper objectMapper, TlsDeliveries tlsDeliveries) {
		// set once on the client, so that no call (the health indicator's included) goes
		// out without them; the builder is a prototype bean, so Consul's never gets them
		builder.defaultHeaders(credentials::apply);
		this.marathon = new RemoteClient("Marathon", properties.url(), "MARATHON_URL", MarathonCredentials.VARIABLES,
				properties.timeout(), tls.marathon(bundles), builder, meters);
		this.deploymentLock = new DeploymentLock(properties.lockedWait(), clock, DeploymentLock.Sleeper.THREAD);
		BiFunction<String, OptionalInt, String> fetchUri = (tlsDeliveries != null) ? tlsDeliveries::newFetchUri
				: RedisAppDefinitions.NO_TLS_APP;
		this.definitions = new RedisAppDefinitions(properties, objectMapper, fetchUri);
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
		boolean created = false;
		for (App app : apps(deployment)) {
			created |= create(app);
		}
		return created;
	}

	private boolean create(App app) {
		// rendered only for an app that is not there yet: a render of a TLS app issues a
		// new single-use delivery token, which would leave the running app's token spent
		// (docs/TLS.md); a provision's polls ask for the app again and again
		if (app(app.path()).isPresent()) {
			logger.info("event=marathon_app_exists app_id={}", app.id());
			return false;
		}
		JsonNode definition = app.render().get();
		return this.marathon.call("app_create", () -> {
			try {
				refusedDefinitionIsFatal(app.id(),
						() -> this.deploymentLock.waitOut(app.id(),
								() -> this.marathon.restClient()
									.post()
									.uri(this.marathon.uri(List.of("v2", "apps"), false, ""))
									.contentType(MediaType.APPLICATION_JSON)
									.body(definition)
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
				logger.info("event=marathon_app_exists app_id={}", app.id());
				return false;
			}
		});
	}

	@Override
	public boolean deployNode(RedisDeployment deployment, int node) {
		return create(nodeApp(deployment, node));
	}

	@Override
	public void redeploy(RedisDeployment deployment) {
		apps(deployment).forEach(this::update);
	}

	@Override
	public void redeployNode(RedisDeployment deployment, int node) {
		update(nodeApp(deployment, node));
	}

	private App nodeApp(RedisDeployment deployment, int node) {
		if (!(deployment.topology() instanceof HaDeployment ha) || node < 0 || node >= ha.nodeCount()) {
			throw new IllegalArgumentException("no node " + node + " in the deployment of " + deployment.instanceId());
		}
		String instanceId = deployment.instanceId();
		return new App(this.definitions.nodeAppId(instanceId, node), nodeAppPath(instanceId, node),
				() -> this.definitions.renderNode(deployment, node));
	}

	private void update(App app) {
		// Marathon's PUT keeps a field the body leaves out (partialUpdate): an app that
		// carried a fetch (a restore's pre-signed URL, a used TLS delivery) must say it
		// has
		// none now
		JsonNode rendered = app.render().get();
		if (rendered instanceof ObjectNode definition && !definition.has("fetch")) {
			definition.putArray("fetch");
		}
		this.marathon.call("app_update",
				() -> refusedDefinitionIsFatal(app.id(),
						() -> this.deploymentLock.waitOut(app.id(),
								() -> this.marathon.restClient()
									.put()
									.uri(appUri(app.path(), ""))
									.contentType(MediaType.APPLICATION_JSON)
									.body(rendered)
									.retrieve()
									.toBodilessEntity())));
	}

	// one app, or one per node of an HA instance that starts now
	// (HaDeployment#nodesToStart)
	private List<App> apps(RedisDeployment deployment) {
		String instanceId = deployment.instanceId();
		if (!(deployment.topology() instanceof HaDeployment ha)) {
			return List.of(new App(this.definitions.appId(instanceId), singleAppPath(instanceId),
					() -> this.definitions.render(deployment)));
		}
		List<App> apps = new ArrayList<>();
		for (int node = 0; node < ha.nodesToStart(); node++) {
			int rendered = node;
			apps.add(new App(this.definitions.nodeAppId(instanceId, node), nodeAppPath(instanceId, node),
					() -> this.definitions.renderNode(deployment, rendered)));
		}
		return apps;
	}

	@Override
	public void undeploy(String instanceId, int nodes) {
		appPaths(instanceId, nodes).forEach(this::delete);
	}

	private void delete(List<String> appPath) {
		this.marathon.call("app_delete", () -> {
			try {
				// force: a Redis task that never gets healthy keeps its deployment
				// running forever, and deprovisioning must still remove it
				return this.marathon.restClient()
					.delete()
					.uri(appUri(appPath, "?force=true"))
					.retrieve()
					.toBodilessEntity();
			}
			catch (HttpClientErrorException.NotFound ex) {
				return null;
			}
		});
	}

	@Override
	public List<Optional<DeploymentStatus>> nodeStatuses(String instanceId, int nodes) {
		List<Optional<DeploymentStatus>> statuses = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			statuses.add(appStatus(nodeAppPath(instanceId, node)));
		}
		return statuses;
	}

	@Override
	public List<Optional<NodePlacement>> nodePlacements(String instanceId, int nodes) {
		List<Optional<NodePlacement>> placements = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			placements.add(app(nodeAppPath(instanceId, node)).map(MarathonRedisDeployer::placement));
		}
		return placements;
	}

	@Override
	public List<String> taskHosts(String instanceId) {
		return app(singleAppPath(instanceId)).map((app) -> placement(app).hosts()).orElse(List.of());
	}

	@Override
	public List<String> nodeTaskHosts(String instanceId, int node) {
		return app(nodeAppPath(instanceId, node)).map((app) -> placement(app).hosts()).orElse(List.of());
	}

	// the agents of the app's tasks (a task has its host from staging on) and the hosts
	// its constraint keeps it off
	private static NodePlacement placement(JsonNode app) {
		List<String> hosts = new ArrayList<>();
		Instant since = Instant.EPOCH;
		for (JsonNode task : app.path("tasks")) {
			String host = task.path("host").asText("");
			if (!host.isEmpty() && !hosts.contains(host)) {
				hosts.add(host);
			}
			String staged = task.path("stagedAt").asText(task.path("startedAt").asText(""));
			if (!staged.isEmpty() && Instant.parse(staged).isAfter(since)) {
				since = Instant.parse(staged);
			}
		}
		return new NodePlacement(hosts, since, RedisAppDefinitions.avoidedHosts(app),
				app.path("deployments").size() > 0);
	}

	@Override
	public Optional<DeploymentStatus> status(String instanceId, int nodes) {
		DeploymentStatus sum = null;
		for (List<String> appPath : appPaths(instanceId, nodes)) {
			Optional<DeploymentStatus> app = appStatus(appPath);
			if (app.isPresent()) {
				sum = (sum == null) ? app.get() : sum.plus(app.get());
			}
		}
		return Optional.ofNullable(sum);
	}

	// the app of a single Redis, or the apps of an HA instance's nodes
	private List<List<String>> appPaths(String instanceId, int nodes) {
		if (nodes == 1) {
			return List.of(singleAppPath(instanceId));
		}
		List<List<String>> paths = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			paths.add(nodeAppPath(instanceId, node));
		}
		return paths;
	}

	// the app id's segments, each a segment of its own whatever it holds: the group and
	// the instance id of a single Redis's app
	private List<String> singleAppPath(String instanceId) {
		return List.of(this.definitions.group(), instanceId);
	}

	// and node-<n> for the app of a node of an HA instance
	private List<String> nodeAppPath(String instanceId, int node) {
		return List.of(this.definitions.group(), instanceId, "node-" + node);
	}

	private Optional<DeploymentStatus> appStatus(List<String> appPath) {
		return app(appPath).map(MarathonRedisDeployer::status);
	}

	private Optional<JsonNode> app(List<String> appPath) {
		return this.marathon.call("app_get", () -> {
			try {
				JsonNode body = this.marathon.restClient()
					.get()
					.uri(appUri(appPath, ""))
					.retrieve()
					.body(JsonNode.class);
				return Optional.ofNullable(body).map((node) -> node.path("app"));
			}
			catch (HttpClientErrorException.NotFound ex) {
				return Optional.empty();
			}
		});
	}

	@Override
	public List<String> deployedInstances() {
		return deployedApps().stream().map(DeployedApp::instanceId).distinct().toList();
	}

	@Override
	public void undeployAll(String instanceId) {
		for (DeployedApp app : deployedApps()) {
			if (app.instanceId().equals(instanceId)) {
				delete(app.path());
			}
		}
	}

	// the apps under the broker's group: an instance's single app or its node apps.
	// Marathon answers only the apps whose id contains the group's path (its id filter),
	// not every app of the cluster; the ids are then checked to start with it
	private List<DeployedApp> deployedApps() {
		String group = "/" + this.definitions.group() + "/";
		JsonNode body = this.marathon.call("apps_list",
				() -> this.marathon.restClient()
					.get()
					.uri(this.marathon.uri(List.of("v2", "apps"), false,
							"?id=" + UriUtils.encodeQueryParam(group, StandardCharsets.UTF_8)))
					.retrieve()
					.body(JsonNode.class));
		List<DeployedApp> apps = new ArrayList<>();
		for (JsonNode app : (body != null) ? body.path("apps") : List.<JsonNode>of()) {
			String id = app.path("id").asText();
			Matcher ours = INSTANCE_APP.matcher(id.startsWith(group) ? id.substring(group.length()) : "");
			if (ours.matches()) {
				String instanceId = ours.group(1);
				apps.add(new DeployedApp(instanceId, (ours.group(2) != null)
						? nodeAppPath(instanceId, Integer.parseInt(ours.group(2))) : singleAppPath(instanceId)));
			}
		}
		return apps;
	}

	private record DeployedApp(String instanceId, List<String> path) {

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

	private URI appUri(List<String> appPath, String query) {
		List<String> segments = new ArrayList<>(List.of("v2", "apps"));
		segments.addAll(appPath);
		return this.marathon.uri(segments, false, query);
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
				app.path("tasksHealthy").asInt(0), lastTaskFailure, 1,
				app.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText(null));
	}

	@Override
	public String toString() {
		return this.marathon.toString();
	}

	/**
	 * One Marathon app of an instance.
	 *
	 * @param id its id
	 * @param path its id's segments
	 * @param render what Marathon runs, rendered when it is sent (each render of a TLS
	 * app issues a new delivery token)
	 */
	private record App(String id, List<String> path, Supplier<JsonNode> render) {

	}

}
