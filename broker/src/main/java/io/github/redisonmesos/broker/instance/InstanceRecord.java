package io.github.redisonmesos.broker.instance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.VolumeNames;
import io.github.redisonmesos.broker.security.Sealed;

/**
 * What the broker remembers about an instance, stored as JSON under
 * {@code <prefix>/instances/<instance-id>}. The record is written before anything it
 * describes is changed, so it always says what may exist.
 *
 * @param instanceId the OSB instance id
 * @param serviceId the OSB service id
 * @param planId the plan the instance has, or is being changed to
 * @param organizationGuid the CF organization
 * @param spaceGuid the CF space
 * @param parameters the parameters (Redis settings) the instance was given at provision
 * and by updates since, as validated against the catalog's schema; none for defaults
 * @param volumeGb the size the volume was created with (kept across plan changes)
 * @param adminPassword the password of Redis' admin user, sealed
 * @param operation the last operation
 * @param removedAt when the deprovision finished: the record is then a tombstone that
 * answers polls of that deprovision until it is forgotten; {@code null} otherwise
 * @param port the host port the instance's Redis listens on wherever it runs, claimed
 * from {@code broker.marathon.redis-ports} for this instance alone; 0 when it takes any
 * port the platform gives (no range set, or a record written before ports were fixed)
 * @param topology a single Redis, or what an HA instance has beside: its internal
 * passwords and its nodes' ports; stored as {@code "ha"}, {@code null} for a single Redis
 * (the JSON of records written before this type)
 * @param volumes the instance's external volumes and, once it is removed, what becomes of
 * them; {@code null} in records written before volumes were tracked (their names carry no
 * tag)
 * @param maintenanceVersion the maintenance version every node of the instance runs,
 * recorded once an operation that deployed it has succeeded; {@code null} in records
 * written before versions were recorded, which counts as older than any version
 * @param tlsPort a single Redis's second host port, claimed the first time it runs with
 * {@code tls: optional} (its TLS listener beside the plain {@code port}) and kept until
 * it is deprovisioned; 0 when it never had one (absent from the stored JSON then)
 * @param restore the backup a restored instance was created from, filled into its volume
 * on its first start; {@code null} for an instance created empty (and in records written
 * before restores); not written when {@code null}, so other records keep their shape
 */
public record InstanceRecord(String instanceId, String serviceId, String planId, String organizationGuid,
		String spaceGuid, Map<String, Object> parameters, int volumeGb, Sealed adminPassword, Operation operation,
		Instant removedAt, int port,
		@JsonProperty("ha") @JsonSerialize(using = TopologyJson.Writer.class) @JsonDeserialize(
				using = TopologyJson.Reader.class) Topology topology,
		Volumes volumes, String maintenanceVersion, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int tlsPort,
		@JsonInclude(JsonInclude.Include.NON_NULL) Restore restore) {

	/**
	 * The Redis user the broker administers each instance's Redis with; only the broker
	 * knows its password.
	 */
	public static final String ADMIN_USER = "osb-admin";

	public InstanceRecord {
		parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
		topology = (topology != null) ? topology : Topology.SINGLE;
	}

	/**
	 * A record of an instance created empty, not from a backup, without a TLS port beside
	 * its plain one.
	 */
	public InstanceRecord(String instanceId, String serviceId, String planId, String organizationGuid, String spaceGuid,
			Map<String, Object> parameters, int volumeGb, Sealed adminPassword, Operation operation, Instant removedAt,
			int port, Topology topology, Volumes volumes, String maintenanceVersion) {
		this(instanceId, serviceId, planId, organizationGuid, spaceGuid, parameters, volumeGb, adminPassword, operation,
				removedAt, port, topology, volumes, maintenanceVersion, 0, null);
	}

	/**
	 * The backup a restored instance is filled from.
	 *
	 * @param instanceId the instance the backup was taken of
	 * @param backupId the backup's id (never {@code latest}: the one it named when the
	 * instance was created)
	 */
	public record Restore(String instanceId, String backupId) {

	}

	/**
	 * A record of an instance whose maintenance version is not recorded.
	 */
	public InstanceRecord(String instanceId, String serviceId, String planId, String organizationGuid, String spaceGuid,
			Map<String, Object> parameters, int volumeGb, Sealed adminPassword, Operation operation, Instant removedAt,
			int port, Topology topology, Volumes volumes) {
		this(instanceId, serviceId, planId, organizationGuid, spaceGuid, parameters, volumeGb, adminPassword, operation,
				removedAt, port, topology, volumes, null);
	}

	/**
	 * A record of an instance whose volumes are not tracked.
	 */
	public InstanceRecord(String instanceId, String serviceId, String planId, String organizationGuid, String spaceGuid,
			Map<String, Object> parameters, int volumeGb, Sealed adminPassword, Operation operation, Instant removedAt,
			int port, Topology topology) {
		this(instanceId, serviceId, planId, organizationGuid, spaceGuid, parameters, volumeGb, adminPassword, operation,
				removedAt, port, topology, null, null);
	}

	/**
	 * A record of an instance on any port the platform gives.
	 */
	public InstanceRecord(String instanceId, String serviceId, String planId, String organizationGuid, String spaceGuid,
			Map<String, Object> parameters, int volumeGb, Sealed adminPassword, Operation operation,
			Instant removedAt) {
		this(instanceId, serviceId, planId, organizationGuid, spaceGuid, parameters, volumeGb, adminPassword, operation,
				removedAt, 0, Topology.SINGLE);
	}

	/**
	 * What the instance is: a single Redis, or an HA instance with what it has beside.
	 */
	public sealed interface Topology permits Single, Ha {

		/** A single Redis. */
		Single SINGLE = new Single();

		/**
		 * How many Redis nodes the instance has.
		 * @return 1 for a single Redis, an HA instance's node count
		 */
		int nodes();

	}

	/**
	 * A single Redis: its port is the record's own.
	 */
	public record Single() implements Topology {

		@Override
		public int nodes() {
			return 1;
		}

	}

	/**
	 * What an HA instance has beside a single Redis's record.
	 *
	 * @param replicationPassword the password replicas authenticate to the primary with,
	 * sealed
	 * @param sentinelPassword the password Sentinels authenticate with, sealed
	 * @param ports each node's Redis and Sentinel host ports, in node order (empty: the
	 * ports the platform gives)
	 * @param nodes how many nodes it has
	 */
	public record Ha(Sealed replicationPassword, Sealed sentinelPassword, List<Integer> ports,
			int nodes) implements Topology {

		public Ha {
			ports = (ports != null) ? List.copyOf(ports) : List.of();
		}

	}

	/**
	 * An instance's external volumes and what becomes of them once it is removed.
	 *
	 * @param names the volume names ({@code VolumeNames}): one, or one per HA node
	 * @param state where they stand
	 * @param deleteAfter when the broker deletes them (retained volumes); {@code null}
	 * otherwise
	 * @param note what an operator reads: which volumes, and what happened or will
	 */
	public record Volumes(List<String> names, VolumeState state, Instant deleteAfter, String note) {

		public Volumes {
			names = (names != null) ? List.copyOf(names) : List.of();
		}

		public static Volumes inUse(List<String> names) {
			return new Volumes(names, VolumeState.IN_USE, null, null);
		}

		public Volumes to(VolumeState state, Instant deleteAfter, String note) {
			return new Volumes(this.names, state, deleteAfter, note);
		}

	}

	/**
	 * Where an instance's volumes stand; the lower-case name is the {@code state} tag of
	 * {@code broker_volumes}.
	 */
	public enum VolumeState {

		/** The instance is live and mounts them. */
		IN_USE,
		/** Removed instance: kept until {@code deleteAfter} (the retention). */
		RETAINED,
		/** Removed instance: deleted, and no longer listed by libStorage. */
		DELETED,
		/** Removed instance: a delete failed (libStorage away or refusing); retried. */
		FAILED,
		/**
		 * Removed instance: libStorage answered a delete with success but still lists the
		 * volume; retried.
		 */
		UNDELETABLE,
		/** Removed instance: no libStorage URL is set, so the operator deletes them. */
		LEFT_TO_OPERATOR

	}

	/**
	 * What the admin password is sealed against: a sealed password copied into another
	 * record does not open there.
	 * @param instanceId the instance id
	 * @return {@code instance/<instance-id>/admin}
	 */
	public static String adminPasswordContext(String instanceId) {
		return "instance/" + instanceId + "/admin";
	}

	public InstanceRecord withOperation(Operation operation) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, operation, this.removedAt, this.port, this.topology,
				this.volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	public InstanceRecord withPlan(String planId) {
		return new InstanceRecord(this.instanceId, this.serviceId, planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, this.operation, this.removedAt, this.port,
				this.topology, this.volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	public InstanceRecord withParameters(Map<String, Object> parameters) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				parameters, this.volumeGb, this.adminPassword, this.operation, this.removedAt, this.port, this.topology,
				this.volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	public InstanceRecord withAdminPassword(Sealed adminPassword) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, adminPassword, this.operation, this.removedAt, this.port, this.topology,
				this.volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	public InstanceRecord withMaintenanceVersion(String maintenanceVersion) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, this.operation, this.removedAt, this.port,
				this.topology, this.volumes, maintenanceVersion, this.tlsPort, this.restore);
	}

	/**
	 * How many Redis nodes the instance has.
	 * @return 1, or an HA instance's node count
	 */
	public int nodes() {
		return this.topology.nodes();
	}

	/**
	 * What only an HA instance has.
	 * @return its internal passwords and nodes' ports
	 * @throws IllegalStateException for a single Redis
	 */
	public Ha requireHa() {
		if (this.topology instanceof Ha ha) {
			return ha;
		}
		throw new IllegalStateException("instance " + this.instanceId + " is a single Redis, not HA");
	}

	public InstanceRecord withHa(Ha ha) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, this.operation, this.removedAt, this.port, ha,
				this.volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	/**
	 * The record with a TLS port beside the plain one ({@code tls: optional}).
	 * @param tlsPort the claimed port
	 * @return the record
	 */
	public InstanceRecord withTlsPort(int tlsPort) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, this.operation, this.removedAt, this.port,
				this.topology, this.volumes, this.maintenanceVersion, tlsPort, this.restore);
	}

	/**
	 * Every host port the instance holds.
	 * @return its port (and its TLS port, once it had one), or its nodes' ports; none
	 * when it takes the platform's
	 */
	public List<Integer> ports() {
		if (this.topology instanceof Ha ha) {
			return ha.ports();
		}
		List<Integer> ports = new ArrayList<>();
		if (this.port != 0) {
			ports.add(this.port);
		}
		if (this.tlsPort != 0) {
			ports.add(this.tlsPort);
		}
		return List.copyOf(ports);
	}

	public InstanceRecord removed(Operation operation, Instant at) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, operation, at, this.port, this.topology,
				this.volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	public InstanceRecord withVolumes(Volumes volumes) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.adminPassword, this.operation, this.removedAt, this.port,
				this.topology, volumes, this.maintenanceVersion, this.tlsPort, this.restore);
	}

	/**
	 * The instance's external volume names.
	 * @return the recorded names, or those of a record written before volumes were
	 * tracked
	 */
	public List<String> volumeNames() {
		return (this.volumes != null) ? this.volumes.names() : ((this.topology instanceof Ha ha)
				? VolumeNames.perNode(this.instanceId, null, ha.nodes()) : VolumeNames.single(this.instanceId, null));
	}

	/**
	 * Where the instance's volumes stand.
	 * @return the recorded state; for a record written before volumes were tracked,
	 * {@code IN_USE} while live and {@code LEFT_TO_OPERATOR} once removed
	 */
	public VolumeState volumeState() {
		if (this.volumes != null) {
			return this.volumes.state();
		}
		return removed() ? VolumeState.LEFT_TO_OPERATOR : VolumeState.IN_USE;
	}

	public boolean sameAttributes(InstanceRecord other) {
		return Objects.equals(this.serviceId, other.serviceId) && Objects.equals(this.planId, other.planId)
				&& Objects.equals(this.organizationGuid, other.organizationGuid)
				&& Objects.equals(this.spaceGuid, other.spaceGuid) && Objects.equals(this.parameters, other.parameters);
	}

	public RedisDeployment deployment(PlanProperties plan, String adminPasswordSha256, RedisSettings settings) {
		return RedisDeployment.builder(this.instanceId, this.serviceId, plan.id())
			.resources(plan.memMb(), plan.cpus(), plan.maxmemory(), this.volumeGb)
			.admin(ADMIN_USER, adminPasswordSha256)
			.port(this.port)
			.tlsPort(this.tlsPort)
			.settings(settings)
			.volumeNames(volumeNames())
			.build();
	}

	/**
	 * Whether the instance is gone and this record only remembers its deprovision.
	 * @return true for a tombstone
	 */
	public boolean removed() {
		return this.removedAt != null;
	}

	/**
	 * Whether the instance can be bound: provisioned and not being removed.
	 * @return true when Redis is up as far as the broker knows
	 */
	public boolean ready() {
		return provisioned() && this.operation.type() != Operation.Type.DEPROVISION;
	}

	/**
	 * Whether the provision has succeeded, so the instance exists for the platform.
	 * @return false while the first provision runs, after it failed, and once removed
	 */
	public boolean provisioned() {
		return !removed() && (this.operation.type() != Operation.Type.PROVISION
				|| this.operation.state() == Operation.State.SUCCEEDED);
	}

	@Override
	public String toString() {
		// the sealed password stays out of log lines too
		return "InstanceRecord[instanceId=" + this.instanceId + ", planId=" + this.planId + ", operation="
				+ this.operation + (removed() ? ", removedAt=" + this.removedAt : "") + "]";
	}

}
