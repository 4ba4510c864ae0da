package io.github.redisonmesos.broker.marathon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a Redis app definition is rendered from.
 *
 * @param instanceId the OSB instance id
 * @param serviceId the OSB service id
 * @param planId the OSB plan id
 * @param password the Redis password (goes into {@code env.REDIS_PASSWORD} only)
 * @param memMb Marathon {@code mem}
 * @param cpus Marathon {@code cpus}
 * @param maxmemory Redis {@code --maxmemory}
 * @param volumeGb external volume size
 */
public record RedisApp(String instanceId, String serviceId, String planId, String password, int memMb, double cpus,
		String maxmemory, int volumeGb) {

	/**
	 * The Consul service name marathon-consul registers the app under.
	 * @param instanceId the OSB instance id
	 * @return {@code redis-<instance-id>}
	 */
	public static String consulService(String instanceId) {
		return "redis-" + instanceId;
	}

	Map<String, String> placeholders(String appId) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("appId", appId);
		values.put("instanceId", this.instanceId);
		values.put("serviceId", this.serviceId);
		values.put("planId", this.planId);
		values.put("consulService", consulService(this.instanceId));
		values.put("password", this.password);
		values.put("mem", Integer.toString(this.memMb));
		values.put("cpus", Double.toString(this.cpus));
		values.put("maxmemory", this.maxmemory);
		values.put("volumeName", "osb-redis-" + this.instanceId);
		values.put("volumeSize", Integer.toString(this.volumeGb));
		return values;
	}

	@Override
	public String toString() {
		// keeps the password out of any log line
		return "RedisApp[instanceId=" + this.instanceId + ", planId=" + this.planId + "]";
	}

}
