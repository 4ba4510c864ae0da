package io.github.redisonmesos.broker.instance;

import java.util.Map;
import java.util.Objects;

import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.marathon.RedisApp;

/**
 * What the broker remembers about an instance, stored as JSON under
 * {@code <prefix>/instances/<instance-id>}.
 *
 * @param instanceId the OSB instance id
 * @param serviceId the OSB service id
 * @param planId the current plan id
 * @param organizationGuid the CF organization, if given
 * @param spaceGuid the CF space, if given
 * @param parameters the provision parameters, if any
 * @param volumeGb the size the volume was created with (kept across plan changes)
 * @param password the Redis password
 * @param operation the last operation
 */
public record InstanceRecord(String instanceId, String serviceId, String planId, String organizationGuid,
		String spaceGuid, Map<String, Object> parameters, int volumeGb, String password, Operation operation) {

	public InstanceRecord {
		parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
	}

	InstanceRecord withOperation(Operation operation) {
		return new InstanceRecord(this.instanceId, this.serviceId, this.planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.password, operation);
	}

	InstanceRecord withPlan(String planId) {
		return new InstanceRecord(this.instanceId, this.serviceId, planId, this.organizationGuid, this.spaceGuid,
				this.parameters, this.volumeGb, this.password, this.operation);
	}

	boolean sameAttributes(InstanceRecord other) {
		return Objects.equals(this.serviceId, other.serviceId) && Objects.equals(this.planId, other.planId)
				&& Objects.equals(this.organizationGuid, other.organizationGuid)
				&& Objects.equals(this.spaceGuid, other.spaceGuid) && Objects.equals(this.parameters, other.parameters);
	}

	RedisApp redisApp(PlanProperties plan) {
		return new RedisApp(this.instanceId, this.serviceId, plan.id(), this.password, plan.memMb(), plan.cpus(),
				plan.maxmemory(), this.volumeGb);
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
	 * @return false while the first provision runs or after it failed
	 */
	boolean provisioned() {
		return this.operation.type() != Operation.Type.PROVISION || this.operation.state() == Operation.State.SUCCEEDED;
	}

	@Override
	public String toString() {
		// the password never reaches a log line
		return "InstanceRecord[instanceId=" + this.instanceId + ", planId=" + this.planId + ", operation="
				+ this.operation + "]";
	}

}
