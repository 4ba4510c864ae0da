package io.github.redisonmesos.broker.deployment;

import java.util.Map;

/**
 * The Redis settings an instance's app chose (its parameters), as every Redis of the
 * instance starts with them.
 *
 * @param maxmemoryPolicy Redis {@code maxmemory-policy}, e.g. {@code noeviction}
 * @param notifyKeyspaceEvents Redis {@code notify-keyspace-events} flags, empty for none
 * @param appendfsync Redis {@code appendfsync}: {@code everysec} or {@code always}
 * @param timeout Redis {@code timeout}: idle seconds before a client is closed, 0 never
 * @param maintenanceVersion the maintenance version of the node templates the app is
 * rendered from ({@code broker.maintenance.version}), so that an app on an older one
 * reads as not running what the record asks; {@code null} when it does not say
 */
public record RedisSettings(String maxmemoryPolicy, String notifyKeyspaceEvents, String appendfsync, long timeout,
		String maintenanceVersion) {

	/**
	 * Settings that do not say which templates they run on.
	 */
	public RedisSettings(String maxmemoryPolicy, String notifyKeyspaceEvents, String appendfsync, long timeout) {
		this(maxmemoryPolicy, notifyKeyspaceEvents, appendfsync, timeout, null);
	}

	/** Redis's own defaults (those of the catalog's schema). */
	public static final RedisSettings DEFAULTS = new RedisSettings("noeviction", "", "everysec", 0);

	/**
	 * The settings as one line, the label of the app they are deployed with, so that the
	 * broker sees whether Marathon runs them.
	 * @return e.g.
	 * {@code maxmemory-policy=noeviction;notify-keyspace-events=;appendfsync=everysec;timeout=0;maintenance-version=1.1.0}
	 */
	public String label() {
		return "maxmemory-policy=" + this.maxmemoryPolicy + ";notify-keyspace-events=" + this.notifyKeyspaceEvents
				+ ";appendfsync=" + this.appendfsync + ";timeout=" + this.timeout
				+ ((this.maintenanceVersion != null) ? ";maintenance-version=" + this.maintenanceVersion : "");
	}

	/**
	 * These settings on the node templates of a maintenance version.
	 * @param version the version
	 * @return the settings
	 */
	public RedisSettings onVersion(String version) {
		return new RedisSettings(this.maxmemoryPolicy, this.notifyKeyspaceEvents, this.appendfsync, this.timeout,
				version);
	}

	/**
	 * The settings of validated parameters, keyed by Redis's own names.
	 * @param settings every setting, e.g. {@code maxmemory-policy}
	 * @return the settings
	 */
	public static RedisSettings of(Map<String, Object> settings) {
		Object timeout = settings.getOrDefault("timeout", DEFAULTS.timeout());
		return new RedisSettings(String.valueOf(settings.getOrDefault("maxmemory-policy", DEFAULTS.maxmemoryPolicy())),
				String.valueOf(settings.getOrDefault("notify-keyspace-events", DEFAULTS.notifyKeyspaceEvents())),
				String.valueOf(settings.getOrDefault("appendfsync", DEFAULTS.appendfsync())),
				((Number) timeout).longValue());
	}

}
