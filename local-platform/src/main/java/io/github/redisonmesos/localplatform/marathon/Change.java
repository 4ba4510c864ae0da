package io.github.redisonmesos.localplatform.marathon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One atomic change of the registry's state, computed under its lock: reads see the
 * change's own writes, and effects (process starts and kills, observer notifications,
 * file clean-ups) are only collected, to run in order after the lock is released. Nothing
 * here may block or do I/O.
 */
final class Change {

	private final TreeMap<String, App> listed;

	private final Map<String, App> stopping;

	private final List<Runnable> effects = new ArrayList<>();

	Change(Apps base) {
		this.listed = new TreeMap<>(base.listedById());
		this.stopping = new HashMap<>(base.stoppingById());
	}

	Optional<App> find(String appId) {
		return Optional.ofNullable(this.listed.get(appId));
	}

	App get(String appId) {
		return find(appId).orElseThrow(() -> MarathonException.appNotFound(appId));
	}

	/**
	 * A listed app or a deleted one whose tasks still stop.
	 */
	Optional<App> supervised(String appId) {
		return find(appId).or(() -> Optional.ofNullable(this.stopping.get(appId)));
	}

	List<App> listed() {
		return new ArrayList<>(this.listed.values());
	}

	/**
	 * Listed apps and deleted apps whose tasks still stop.
	 */
	List<App> supervised() {
		List<App> all = listed();
		all.addAll(this.stopping.values());
		return all;
	}

	/**
	 * Stores an app, listed or stopping as it says; a deleted app without tasks is
	 * forgotten.
	 */
	void put(App app) {
		if (!app.deleted()) {
			this.listed.put(app.id(), app);
		}
		else {
			this.listed.remove(app.id());
			if (app.tasks().isEmpty()) {
				this.stopping.remove(app.id());
			}
			else {
				this.stopping.put(app.id(), app);
			}
		}
	}

	/**
	 * Runs after the registry's lock is released, after the effects of every earlier
	 * change.
	 */
	void after(Runnable effect) {
		this.effects.add(effect);
	}

	Apps result() {
		return new Apps(this.listed, this.stopping);
	}

	List<Runnable> effects() {
		return this.effects;
	}

}
