package io.github.redisonmesos.broker.deployment;

import java.util.List;

/**
 * What an instance's Redis runs with.
 *
 * @param instanceId the OSB instance id
 * @param serviceId the OSB service id
 * @param planId the OSB plan id
 * @param memMb memory in MB
 * @param cpus CPU shares
 * @param maxmemory Redis {@code maxmemory}, e.g. {@code 64mb}
 * @param volumeGb size of the external volume
 * @param adminUser the Redis user the broker administers Redis with
 * @param adminPasswordSha256 SHA-256 (hex) of that user's password: the form Redis keeps,
 * so the password itself never reaches the platform
 * @param port the host port Redis must listen on wherever it runs, so that its address
 * survives moves; 0 for any port the platform gives (instances provisioned without
 * {@code broker.marathon.redis-ports}); for an HA instance, see {@link HaDeployment}
 * @param ha what the nodes of an HA instance run with; {@code null} for a single Redis
 * @param settings the Redis settings the instance's parameters chose, on every node
 * @param volumeNames the external volume names: one, or one per node of an HA instance
 * ({@link VolumeNames})
 */
public record RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus,
		String maxmemory, int volumeGb, String adminUser, String adminPasswordSha256, int port, HaDeployment ha,
		RedisSettings settings, List<String> volumeNames) {

	public RedisDeployment {
		settings = (settings != null) ? settings : RedisSettings.DEFAULTS;
		volumeNames = List.copyOf(volumeNames);
	}

	/**
	 * A deployment with these settings on the volumes of an instance provisioned without
	 * a volume tag.
	 */
	public RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus, String maxmemory,
			int volumeGb, String adminUser, String adminPasswordSha256, int port, HaDeployment ha,
			RedisSettings settings) {
		this(instanceId, serviceId, planId, memMb, cpus, maxmemory, volumeGb, adminUser, adminPasswordSha256, port, ha,
				settings, VolumeNames.of(instanceId, null, (ha != null) ? ha.nodes().size() : 0));
	}

	/**
	 * A deployment with Redis's default settings on these volumes.
	 */
	public RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus, String maxmemory,
			int volumeGb, String adminUser, String adminPasswordSha256, int port, HaDeployment ha,
			List<String> volumeNames) {
		this(instanceId, serviceId, planId, memMb, cpus, maxmemory, volumeGb, adminUser, adminPasswordSha256, port, ha,
				RedisSettings.DEFAULTS, volumeNames);
	}

	/**
	 * A deployment with Redis's default settings on the volumes of an instance
	 * provisioned without a volume tag.
	 */
	public RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus, String maxmemory,
			int volumeGb, String adminUser, String adminPasswordSha256, int port, HaDeployment ha) {
		this(instanceId, serviceId, planId, memMb, cpus, maxmemory, volumeGb, adminUser, adminPasswordSha256, port, ha,
				RedisSettings.DEFAULTS);
	}

	/**
	 * A single Redis on its own port, or any port the platform gives (0).
	 */
	public RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus, String maxmemory,
			int volumeGb, String adminUser, String adminPasswordSha256, int port) {
		this(instanceId, serviceId, planId, memMb, cpus, maxmemory, volumeGb, adminUser, adminPasswordSha256, port,
				null);
	}

	/**
	 * A deployment on any port the platform gives.
	 */
	public RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus, String maxmemory,
			int volumeGb, String adminUser, String adminPasswordSha256) {
		this(instanceId, serviceId, planId, memMb, cpus, maxmemory, volumeGb, adminUser, adminPasswordSha256, 0);
	}

	/**
	 * The external volume of a node.
	 * @param node the node's index (0 for a single Redis)
	 * @return its name
	 */
	public String volumeName(int node) {
		return this.volumeNames.get(node);
	}

	/**
	 * Whether Redis has a host port of its own.
	 * @return true when {@link #port()} is fixed
	 */
	public boolean fixedPort() {
		return this.port != 0;
	}

}
