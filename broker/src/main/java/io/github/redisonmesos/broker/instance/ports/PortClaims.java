package io.github.redisonmesos.broker.instance.ports;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who holds which host port of {@code broker.marathon.redis-ports} (Consul KV behind it):
 * one claim per port, created only when the port has none, so two brokers provisioning at
 * once never give two instances the same port.
 */
public interface PortClaims {

	/**
	 * Claim a port for an instance.
	 * @param port the port
	 * @param instanceId the instance that will hold it
	 * @param at when the claim is made
	 * @return whether this claim won (false when the port is claimed already)
	 */
	boolean claim(int port, String instanceId, Instant at);

	/**
	 * The claimed ports.
	 * @return the ports, read in one call
	 */
	Set<Integer> ports();

	/**
	 * Every claim, with its holder.
	 * @return the claims
	 */
	List<Claim> all();

	/**
	 * Give a port back, unless another instance holds it meanwhile.
	 * @param port the port
	 * @param instanceId the instance that held it
	 */
	void release(int port, String instanceId);

	/**
	 * One claimed port.
	 *
	 * @param port the port
	 * @param instanceId the instance that holds it
	 * @param claimedAt when it was claimed
	 */
	record Claim(int port, String instanceId, Instant claimedAt) {

	}

}
