package io.github.redisonmesos.broker.instance.ports;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.stereotype.Component;

/**
 * Gives each instance a host port of its own from {@code broker.marathon.redis-ports}:
 * the instance keeps it across restarts, moves and plan changes, and gives it back when
 * it is deprovisioned. Claims are check-and-set, so brokers provisioning at once never
 * share a port.
 */
@Component
public class RedisPorts {

	private static final Logger logger = LoggerFactory.getLogger(RedisPorts.class);

	private final PortClaims claims;

	private final RedisDeployer deployer;

	private final Clock clock;

	public RedisPorts(PortClaims claims, RedisDeployer deployer, Clock clock) {
		this.claims = claims;
		this.deployer = deployer;
		this.clock = clock;
	}

	/**
	 * Whether instances get host ports of their own (a range is set) rather than any port
	 * the platform gives.
	 * @return true with {@code broker.marathon.redis-ports}
	 */
	public boolean fixed() {
		return this.deployer.redisPorts().isPresent();
	}

	/**
	 * Claim a free port for a new instance.
	 * @param instanceId the instance
	 * @return the port, or 0 when no range is set (any port the platform gives)
	 * @throws ServiceBrokerException when every port of the range is taken: retrying will
	 * not help until an instance is deleted or the range widened
	 */
	public int claim(String instanceId) {
		List<Integer> ports = claim(instanceId, 1);
		return ports.isEmpty() ? 0 : ports.get(0);
	}

	/**
	 * Claim free ports for a new instance (an HA instance's nodes need two each); the
	 * ones claimed are given back when the range runs out.
	 * @param instanceId the instance
	 * @param count how many
	 * @return the ports, none when no range is set (the ports the platform gives)
	 * @throws ServiceBrokerException when the range has fewer free ports: retrying will
	 * not help until an instance is deleted or the range widened
	 */
	public List<Integer> claim(String instanceId, int count) {
		Optional<PortRange> range = this.deployer.redisPorts();
		if (range.isEmpty()) {
			return List.of();
		}
		PortRange ports = range.get();
		Set<Integer> taken = this.claims.ports();
		List<Integer> claimed = new ArrayList<>();
		// start anywhere in the range: brokers provisioning at once rarely try the same
		// port, and a lost claim moves on to the next
		int offset = ThreadLocalRandom.current().nextInt(ports.size());
		for (int i = 0; i < ports.size() && claimed.size() < count; i++) {
			int port = ports.first() + (offset + i) % ports.size();
			if (!taken.contains(port) && this.claims.claim(port, instanceId, this.clock.instant())) {
				claimed.add(port);
			}
		}
		if (claimed.size() < count) {
			release(claimed, instanceId);
			throw new ServiceBrokerException("No Redis port is free: all " + ports.size() + " ports of "
					+ "broker.marathon.redis-ports (" + ports + ") belong to instances"
					+ ((count > 1) ? " (an instance of this plan needs " + count + ")" : "")
					+ "; retrying will not help until an instance is deleted or the operator widens "
					+ "BROKER_MARATHON_REDIS_PORTS.");
		}
		return claimed;
	}

	/**
	 * Give an instance's ports back.
	 * @param ports the ports
	 * @param instanceId the instance that held them
	 */
	public void release(List<Integer> ports, String instanceId) {
		ports.forEach((port) -> release(port, instanceId));
	}

	/**
	 * Give an instance's port back.
	 * @param port the port, 0 for none
	 * @param instanceId the instance that held it
	 */
	public void release(int port, String instanceId) {
		if (port != 0) {
			this.claims.release(port, instanceId);
			logger.info("event=port_released instance_id={} port={}", instanceId, port);
		}
	}

}
