package io.github.redisonmesos.broker.instance.operations;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisMemory;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.osb.UnprocessableException;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Refuses a plan change to a smaller {@code maxmemory} than the instance's Redis uses
 * now: with {@code noeviction} it would then refuse writes, with an eviction policy drop
 * keys. Redis is asked as the instance's admin user ({@code INFO memory}), every node of
 * an HA instance, before anything is changed.
 */
@Component
class DownsizeGuard {

	private final RedisDiscovery discovery;

	private final AdminPasswords adminPasswords;

	private final RedisMemory memory;

	DownsizeGuard(RedisDiscovery discovery, AdminPasswords adminPasswords, RedisMemory memory) {
		this.discovery = discovery;
		this.adminPasswords = adminPasswords;
		this.memory = memory;
	}

	/**
	 * Check a plan change.
	 * @param record the instance's record, on its current plan
	 * @param current its current plan, empty when the catalog no longer has it
	 * @param target the plan it would change to
	 * @throws UnprocessableException (422) when Redis uses more than the target plan's
	 * {@code maxmemory}, with both figures
	 * @throws ServiceBrokerConcurrencyException (422) when Redis is moving and cannot be
	 * asked
	 */
	void check(InstanceRecord record, Optional<PlanProperties> current, PlanProperties target) {
		long limit = target.maxmemoryBytes();
		if (current.isPresent() && limit >= current.get().maxmemoryBytes()) {
			return;
		}
		String instanceId = record.instanceId();
		List<RedisEndpoint> redis = (record.topology() instanceof InstanceRecord.Ha)
				? this.discovery.locateHa(instanceId).stream().map(HaNode::redis).toList()
				: this.discovery.locate(instanceId).endpoint().stream().toList();
		if (redis.isEmpty()) {
			throw new ServiceBrokerConcurrencyException("Instance " + instanceId + " is moving (Consul lists no "
					+ "passing Redis), so the broker cannot check that its data fits plan " + target.name()
					+ "; change the plan once it runs again.");
		}
		long used = 0;
		for (RedisEndpoint endpoint : redis) {
			used = Math.max(used, this.memory.usedMemory(this.adminPasswords.admin(record, endpoint)));
		}
		if (used >= limit) {
			throw new UnprocessableException("Instance " + instanceId + " uses " + used
					+ " bytes of memory now (INFO memory used_memory), not below the maxmemory of plan " + target.name()
					+ " (" + target.maxmemory() + ", " + limit + " bytes): after the change Redis "
					+ "would refuse writes or evict keys. Delete data first, or choose a plan with more memory; "
					+ "nothing was changed.");
		}
	}

}
