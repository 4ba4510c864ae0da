package io.github.redisonmesos.broker.marathon;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.remote.RemoteService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * {@link MarathonClient} over Marathon's REST API (shapes in fixtures/marathon).
 */
@Component
class RestMarathonClient implements MarathonClient {

	private static final Logger logger = LoggerFactory.getLogger(RestMarathonClient.class);

	private final RemoteService marathon;

	private final DeploymentLock deploymentLock;

	RestMarathonClient(MarathonProperties properties, RestClient.Builder builder, Clock clock) {
		this.marathon = new RemoteService("Marathon", properties.url(), "MARATHON_URL", properties.timeout(), builder);
		this.deploymentLock = new DeploymentLock(properties.lockedWait(), clock, DeploymentLock.Sleeper.THREAD);
	}

	@Override
	public void createApp(JsonNode app) {
		String appId = app.path("id").asText();
		this.marathon.call(() -> {
			try {
				return this.deploymentLock.waitOut(appId,
						() -> this.marathon.restClient()
							.post()
							.uri("/v2/apps")
							.contentType(MediaType.APPLICATION_JSON)
							.body(app)
							.retrieve()
							.toBodilessEntity());
			}
			catch (HttpClientErrorException.Conflict ex) {
				if (!DeploymentLock.body(ex).path("message").asText("").contains("already exists")) {
					throw ex;
				}
				// the id is derived from the instance id: an earlier attempt for this
				// instance created the app
				logger.info("event=marathon_app_exists app_id={}", appId);
				return null;
			}
		});
	}

	@Override
	public void updateApp(String appId, JsonNode app) {
		this.marathon.call(() -> this.deploymentLock.waitOut(appId,
				() -> this.marathon.restClient()
					.put()
					.uri(appPath(appId))
					.contentType(MediaType.APPLICATION_JSON)
					.body(app)
					.retrieve()
					.toBodilessEntity()));
	}

	@Override
	public void deleteApp(String appId) {
		this.marathon.call(() -> {
			try {
				// force: a Redis task that never gets healthy keeps its deployment
				// running forever, and deprovisioning must still remove it
				return this.marathon.restClient()
					.delete()
					.uri(appPath(appId) + "?force=true")
					.retrieve()
					.toBodilessEntity();
			}
			catch (HttpClientErrorException.NotFound ex) {
				return null;
			}
		});
	}

	@Override
	public Optional<AppStatus> app(String appId) {
		return this.marathon.call(() -> {
			try {
				JsonNode body = this.marathon.restClient().get().uri(appPath(appId)).retrieve().body(JsonNode.class);
				return Optional.ofNullable(body).map((node) -> status(node.path("app")));
			}
			catch (HttpClientErrorException.NotFound ex) {
				return Optional.empty();
			}
		});
	}

	@Override
	public void ping() {
		this.marathon.call(() -> this.marathon.restClient().get().uri("/v2/apps").retrieve().toBodilessEntity());
	}

	private static AppStatus status(JsonNode app) {
		JsonNode failure = app.path("lastTaskFailure");
		AppStatus.TaskFailure lastTaskFailure = null;
		if (failure.isObject()) {
			lastTaskFailure = new AppStatus.TaskFailure(failure.path("message").asText(""),
					Instant.parse(failure.path("timestamp").asText("1970-01-01T00:00:00Z")));
		}
		return new AppStatus(app.path("deployments").size(), app.path("tasksHealthy").asInt(0), lastTaskFailure);
	}

	// app ids are "/<group>/<instance-id>" built from validated parts; concatenation
	// keeps the slashes that a URI template variable would escape
	private static String appPath(String appId) {
		return "/v2/apps" + appId;
	}

	@Override
	public String toString() {
		return this.marathon.toString();
	}

}
