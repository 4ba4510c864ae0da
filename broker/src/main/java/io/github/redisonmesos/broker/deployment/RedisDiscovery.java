package io.github.redisonmesos.broker.deployment;

import java.util.List;

/**
 * Where an instance's Redis listens, as the service registry (Consul) says now.
 */
public interface RedisDiscovery {

	/**
	 * Where Redis listens with its health checks passing.
	 * @param instanceId the instance id
	 * @return the service name and its passing endpoints, possibly none
	 */
	RedisLocation locate(String instanceId);

	/**
	 * Where an HA instance's nodes listen: each node whose Redis and Sentinel are both
	 * listed with their health checks passing, with its index from the {@code node-<n>}
	 * tag of its registrations.
	 * @param instanceId the instance id
	 * @return the nodes sorted by index, possibly none
	 */
	List<HaNode> locateHa(String instanceId);

	/**
	 * Whether the registry still lists any endpoint of the instance, passing or not.
	 * @param instanceId the instance id
	 * @return true until the last one is deregistered
	 */
	boolean registered(String instanceId);

	/**
	 * Where bound apps ask the registry, with the registry's datacenter as it says now.
	 * @return the address, datacenter and token for bound apps
	 */
	RegistryAccess forApps();

}
