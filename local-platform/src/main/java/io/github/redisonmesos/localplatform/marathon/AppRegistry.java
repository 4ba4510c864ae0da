package io.github.redisonmesos.localplatform.marathon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

/**
 * All apps, listed and deleted-but-still-stopping. Its monitor is the one lock that
 * guards every app and task: callers synchronize on the registry.
 */
@Component
class AppRegistry {

	private final Map<String, App> apps = new TreeMap<>();

	private final List<App> stopping = new ArrayList<>();

	Optional<App> find(String appId) {
		return Optional.ofNullable(this.apps.get(appId));
	}

	App get(String appId) {
		return find(appId).orElseThrow(() -> MarathonException.appNotFound(appId));
	}

	List<App> listed() {
		return new ArrayList<>(this.apps.values());
	}

	/**
	 * Listed apps and deleted apps whose tasks still stop.
	 */
	List<App> supervised() {
		List<App> all = listed();
		all.addAll(this.stopping);
		return all;
	}

	Optional<App> stoppingWithId(String appId) {
		return this.stopping.stream().filter((app) -> app.id().equals(appId)).findFirst();
	}

	void add(App app) {
		this.apps.put(app.id(), app);
	}

	void markDeleted(App app) {
		this.apps.remove(app.id());
		app.deleted = true;
		this.stopping.add(app);
	}

	void forget(App app) {
		this.stopping.remove(app);
	}

}
