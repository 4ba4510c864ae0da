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
 * @param topology a single Redis, or what the nodes of an HA instance run with
 * @param settings the Redis settings the instance's parameters chose, on every node
 * @param volumeNames the external volume names: one, or one per node of an HA instance
 * ({@link VolumeNames})
 * @param tlsPort the host port of the TLS listener beside the plain one of a single Redis
 * with {@code tls: optional} (a second port claimed for it), 0 otherwise
 * @param seed the backup the first start fills an empty volume with (node-0's of an HA
 * instance), {@code null} for none: only the app that creates a restored instance carries
 * it
 */
public record RedisDeployment(String instanceId, String serviceId, String planId, int memMb, double cpus,
		String maxmemory, int volumeGb, String adminUser, String adminPasswordSha256, int port, Topology topology,
		RedisSettings settings, List<String> volumeNames, int tlsPort, RestoreSeed seed) {

	public RedisDeployment {
		topology = (topology != null) ? topology : Topology.SINGLE;
		settings = (settings != null) ? settings : RedisSettings.DEFAULTS;
		volumeNames = List.copyOf(volumeNames);
	}

	/**
	 * The one way to make a deployment: the ids here, the rest named on the builder.
	 * Unset, a deployment takes any port the platform gives, is a single Redis, runs
	 * Redis's default settings and mounts the volumes of an instance provisioned without
	 * a volume tag.
	 * @param instanceId the OSB instance id
	 * @param serviceId the OSB service id
	 * @param planId the OSB plan id
	 * @return a builder
	 */
	public static Builder builder(String instanceId, String serviceId, String planId) {
		return new Builder(instanceId, serviceId, planId);
	}

	/**
	 * A builder that starts from this deployment, to change a part of it.
	 * @return a builder with every value of this deployment
	 */
	public Builder toBuilder() {
		return builder(this.instanceId, this.serviceId, this.planId)
			.resources(this.memMb, this.cpus, this.maxmemory, this.volumeGb)
			.admin(this.adminUser, this.adminPasswordSha256)
			.port(this.port)
			.topology(this.topology)
			.settings(this.settings)
			.volumeNames(this.volumeNames)
			.tlsPort(this.tlsPort)
			.seed(this.seed);
	}

	/**
	 * Builds a {@link RedisDeployment}.
	 */
	public static final class Builder {

		private final String instanceId;

		private final String serviceId;

		private final String planId;

		private int memMb;

		private double cpus;

		private String maxmemory;

		private int volumeGb;

		private String adminUser;

		private String adminPasswordSha256;

		private int port;

		private int tlsPort;

		private Topology topology = Topology.SINGLE;

		private RedisSettings settings = RedisSettings.DEFAULTS;

		private List<String> volumeNames;

		private RestoreSeed seed;

		private Builder(String instanceId, String serviceId, String planId) {
			this.instanceId = instanceId;
			this.serviceId = serviceId;
			this.planId = planId;
		}

		/**
		 * The plan's resources.
		 * @param memMb memory in MB
		 * @param cpus CPU shares
		 * @param maxmemory Redis {@code maxmemory}
		 * @param volumeGb the external volume's size
		 * @return this builder
		 */
		public Builder resources(int memMb, double cpus, String maxmemory, int volumeGb) {
			this.memMb = memMb;
			this.cpus = cpus;
			this.maxmemory = maxmemory;
			this.volumeGb = volumeGb;
			return this;
		}

		/**
		 * The admin user.
		 * @param user its name
		 * @param passwordSha256 SHA-256 (hex) of its password
		 * @return this builder
		 */
		public Builder admin(String user, String passwordSha256) {
			this.adminUser = user;
			this.adminPasswordSha256 = passwordSha256;
			return this;
		}

		/**
		 * The TLS port beside the plain one of a single Redis with {@code tls: optional}.
		 * @param tlsPort the port, 0 for none
		 * @return this builder
		 */
		public Builder tlsPort(int tlsPort) {
			this.tlsPort = tlsPort;
			return this;
		}

		/**
		 * The host port of a single Redis.
		 * @param port the port, 0 for any the platform gives
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * A single Redis or the nodes of an HA instance.
		 * @param topology what runs
		 * @return this builder
		 */
		public Builder topology(Topology topology) {
			this.topology = topology;
			return this;
		}

		/**
		 * The nodes of an HA instance.
		 * @param ha what they run with
		 * @return this builder
		 */
		public Builder ha(HaDeployment ha) {
			return topology(ha);
		}

		/**
		 * The Redis settings the instance's parameters chose.
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder settings(RedisSettings settings) {
			this.settings = settings;
			return this;
		}

		/**
		 * The external volume names.
		 * @param volumeNames one, or one per node of an HA instance
		 * @return this builder
		 */
		public Builder volumeNames(List<String> volumeNames) {
			this.volumeNames = volumeNames;
			return this;
		}

		/**
		 * The backup the first start fills an empty volume with.
		 * @param seed the seed, {@code null} for none
		 * @return this builder
		 */
		public Builder seed(RestoreSeed seed) {
			this.seed = seed;
			return this;
		}

		/**
		 * The deployment.
		 * @return what to run
		 */
		public RedisDeployment build() {
			List<String> volumes = (this.volumeNames != null) ? this.volumeNames
					: VolumeNames.of(this.instanceId, null, this.topology);
			return new RedisDeployment(this.instanceId, this.serviceId, this.planId, this.memMb, this.cpus,
					this.maxmemory, this.volumeGb, this.adminUser, this.adminPasswordSha256, this.port, this.topology,
					this.settings, volumes, this.tlsPort, this.seed);
		}

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
	 * What the nodes of an HA instance run with, for what only an HA instance has.
	 * @return the HA part
	 * @throws IllegalArgumentException for a single Redis
	 */
	public HaDeployment requireHa() {
		if (this.topology instanceof HaDeployment ha) {
			return ha;
		}
		throw new IllegalArgumentException("the deployment of " + this.instanceId + " is a single Redis, not HA");
	}

	/**
	 * Whether Redis has a host port of its own.
	 * @return true when {@link #port()} is fixed
	 */
	public boolean fixedPort() {
		return this.port != 0;
	}

}
