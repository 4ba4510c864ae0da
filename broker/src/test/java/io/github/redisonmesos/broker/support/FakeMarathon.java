package io.github.redisonmesos.broker.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.marathon.AppStatus;
import io.github.redisonmesos.broker.marathon.MarathonClient;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;

/**
 * In-process Marathon: remembers app definitions and reports whatever status a test sets.
 */
public class FakeMarathon implements MarathonClient {

	private final Map<String, JsonNode> apps = new ConcurrentHashMap<>();

	private final Map<String, AppStatus> statuses = new ConcurrentHashMap<>();

	private final List<String> calls = new ArrayList<>();

	private Consumer<JsonNode> onCreate = (app) -> {
	};

	private boolean unreachable;

	private boolean locked;

	@Override
	public synchronized void createApp(JsonNode app) {
		failIfUnreachable();
		failIfLocked(app.path("id").asText());
		this.onCreate.accept(app);
		this.calls.add("POST " + app.path("id").asText());
		this.apps.putIfAbsent(app.path("id").asText(), app);
		this.statuses.putIfAbsent(app.path("id").asText(), new AppStatus(1, 0, null));
	}

	@Override
	public synchronized void updateApp(String appId, JsonNode app) {
		failIfUnreachable();
		failIfLocked(appId);
		this.calls.add("PUT " + appId);
		this.apps.put(appId, app);
		this.statuses.put(appId, new AppStatus(1, 0, null));
	}

	@Override
	public synchronized void deleteApp(String appId) {
		failIfUnreachable();
		this.calls.add("DELETE " + appId);
		this.apps.remove(appId);
	}

	@Override
	public Optional<AppStatus> app(String appId) {
		failIfUnreachable();
		return this.apps.containsKey(appId) ? Optional.of(this.statuses.get(appId)) : Optional.empty();
	}

	@Override
	public void ping() {
		failIfUnreachable();
	}

	private void failIfUnreachable() {
		if (this.unreachable) {
			throw new ServiceBrokerUnavailableException("Marathon at http://127.0.0.1:1 is unreachable");
		}
	}

	private void failIfLocked(String appId) {
		if (this.locked) {
			throw new ServiceBrokerConcurrencyException("Marathon app " + appId + " is locked by a deployment");
		}
	}

	/** The app's deployment finished and its task is healthy. */
	public void healthy(String appId) {
		this.statuses.put(appId, new AppStatus(0, 1, null));
	}

	/** The app's task failed with this message. */
	public void taskFailed(String appId, String message, Instant at) {
		this.statuses.put(appId, new AppStatus(1, 0, new AppStatus.TaskFailure(message, at)));
	}

	public void unreachable(boolean unreachable) {
		this.unreachable = unreachable;
	}

	/** Creates and updates fail as after Marathon's 409 "locked" has been waited out. */
	public void locked(boolean locked) {
		this.locked = locked;
	}

	/** Run a check when an app is created (e.g. what Consul holds at that moment). */
	public void onCreate(Consumer<JsonNode> onCreate) {
		this.onCreate = onCreate;
	}

	public Optional<JsonNode> definition(String appId) {
		return Optional.ofNullable(this.apps.get(appId));
	}

	public synchronized List<String> calls() {
		return List.copyOf(this.calls);
	}

}
