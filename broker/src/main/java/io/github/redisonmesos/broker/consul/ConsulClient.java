package io.github.redisonmesos.broker.consul;

import java.util.List;
import java.util.Optional;

/**
 * The Consul operations the broker needs. Failures to reach Consul surface as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException}
 * naming Consul and its URL.
 */
public interface ConsulClient {

	/**
	 * Read one key.
	 * @param key the key
	 * @return the entry, empty when the key does not exist
	 */
	Optional<KvEntry> get(String key);

	/**
	 * Write a key with check-and-set.
	 * @param key the key
	 * @param value the value
	 * @param cas 0 to create only when absent, otherwise the expected modify index
	 * @return whether this write won (Consul answers {@code false} when someone else did)
	 */
	boolean put(String key, String value, long cas);

	/**
	 * Delete one key; a missing key is not an error.
	 * @param key the key
	 */
	void delete(String key);

	/**
	 * Delete every key under a prefix.
	 * @param prefix the prefix, ending in {@code /} so that it names a folder rather than
	 * every key that starts with the same characters
	 */
	void deleteRecursively(String prefix);

	/**
	 * Instances of a service from {@code /v1/health/service/:name}.
	 * @param service the service name
	 * @param passingOnly only instances whose checks all pass
	 * @return the instances, empty when none
	 */
	List<ServiceInstance> instances(String service, boolean passingOnly);

	/**
	 * The datacenter of the agent the broker talks to.
	 * @return the datacenter name
	 */
	String datacenter();

}
