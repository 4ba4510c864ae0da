package io.github.redisonmesos.broker.deployment;

/**
 * The registry name of an instance's Redis: the Marathon adapter labels the app with it
 * (marathon-consul registers it under that name) and the Consul adapter looks it up.
 */
public final class ServiceNames {

	private ServiceNames() {
	}

	/**
	 * The service name of an instance's Redis.
	 * @param instanceId the instance id
	 * @return {@code redis-<instance-id>}
	 */
	public static String of(String instanceId) {
		return "redis-" + instanceId;
	}

	/**
	 * The service name of an HA instance's Sentinels.
	 * @param instanceId the instance id
	 * @return {@code redis-<instance-id>-sentinel}
	 */
	public static String sentinelOf(String instanceId) {
		return of(instanceId) + "-sentinel";
	}

}
