package io.github.redisonmesos.localplatform.marathon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of every app: the listed ones, and deleted ones whose tasks still
 * stop. Readers hold it as long as they like without blocking anyone.
 */
final class Apps {

	static final Apps EMPTY = new Apps(new TreeMap<>(), Map.of());

	private final SortedMap<String, App> listed;

	private final Map<String, App> stopping;

	Apps(SortedMap<String, App> listed, Map<String, App> stopping) {
		this.listed = Collections.unmodifiableSortedMap(new TreeMap<>(listed));
		this.stopping = Map.copyOf(stopping);
	}

	Optional<App> find(String appId) {
		return Optional.ofNullable(this.listed.get(appId));
	}

	App get(String appId) {
		return find(appId).orElseThrow(() -> MarathonException.appNotFound(appId));
	}

	Optional<App> stopping(String appId) {
		return Optional.ofNullable(this.stopping.get(appId));
	}

	/**
	 * A listed app or a deleted one whose tasks still stop.
	 */
	Optional<App> supervised(String appId) {
		return find(appId).or(() -> stopping(appId));
	}

	List<App> listed() {
		return List.copyOf(this.listed.values());
	}

	/**
	 * Listed apps and deleted apps whose tasks still stop.
	 */
	List<App> supervised() {
		List<App> all = new ArrayList<>(this.listed.values());
		all.addAll(this.stopping.values());
		return all;
	}

	SortedMap<String, App> listedById() {
		return this.listed;
	}

	Map<String, App> stoppingById() {
		return this.stopping;
	}

}
