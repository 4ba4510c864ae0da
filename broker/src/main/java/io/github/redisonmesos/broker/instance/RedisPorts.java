package io.github.redisonmesos.broker.instance;

import java.time.Clock;
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
class RedisPorts {

	private static final Logger logger = LoggerFactory.getLogger(RedisPorts.class);

	private final PortClaims claims;

	private final RedisDeployer deployer;

	private final Clock clock;

	RedisPorts(PortClaims claims, RedisDeployer deployer, Clock clock) {
		this.claims = claims;
		this.deployer = deployer;
		this.clock = clock;
	}

	/**
	 * Claim a free port for a new instance.
	 * @param instanceId the instance
	 * @return the port, or 0 when no range is set (any port the platform gives)
	 * @throws ServiceBrokerException when every port of the range is taken: retrying will
	 * not help until an instance is deleted or the range widened
	 */
	int claim(String instanceId) {
		Optional<PortRange> range = this.deployer.redisPorts();
		if (range.isEmpty()) {
			return 0;
		}
		PortRange ports = range.get();
		Set<Integer> taken = this.claims.ports();
		// start anywhere in the range: brokers provisioning at once rarely try the same
		// port, and a lost claim moves on to the next
		int offset = ThreadLocalRandom.current().nextInt(ports.size());
		for (int i = 0; i < ports.size(); i++) {
			int port = ports.first() + (offset + i) % ports.size();
			if (!taken.contains(port) && this.claims.claim(port, instanceId, this.clock.instant())) {
				return port;
			}
		}
		throw new ServiceBrokerException("No Redis port is free: all " + ports.size() + " ports of "
				+ "broker.marathon.redis-ports (" + ports + ") belong to instances; retrying will not help until an "
				+ "instance is deleted or the operator widens BROKER_MARATHON_REDIS_PORTS.");
	}

	/**
	 * Give an instance's port back.
	 * @param port the port, 0 for none
	 * @param instanceId the instance that held it
	 */
	void release(int port, String instanceId) {
		if (port != 0) {
			this.claims.release(port, instanceId);
			logger.info("event=port_released instance_id={} port={}", instanceId, port);
		}
	}

}
