package io.github.redisonmesos.broker.consul;

import java.util.List;
import java.util.Optional;

/**
 * The Consul operations the broker needs. An unreachable Consul or a 5xx answer surfaces
 * as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException}
 * naming Consul and its URL; a 4xx that retrying cannot fix (a refused ACL token) as a
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerException}.
 */
public interface ConsulClient {

	/**
	 * Read one key.
	 * @param key the key
	 * @return the entry, empty when the key does not exist
	 */
	Optional<KvEntry> get(KvKey key);

	/**
	 * Write a key with check-and-set.
	 * @param key the key
	 * @param value the value
	 * @param cas 0 to create only when absent, otherwise the expected modify index
	 * @return whether this write won (Consul answers {@code false} when someone else did)
	 */
	boolean put(KvKey key, String value, long cas);

	/**
	 * Delete one key if it is still at the index it was read at.
	 * @param key the key
	 * @param cas the modify index read
	 * @return whether the key was deleted (false when someone changed it meanwhile)
	 */
	boolean delete(KvKey key, long cas);

	/**
	 * Delete every key in a folder.
	 * @param folder the folder
	 */
	void deleteFolder(KvKey folder);

	/**
	 * The keys directly in a folder.
	 * @param folder the folder
	 * @return its keys (not those of sub-folders), empty when none
	 */
	List<KvKey> keys(KvKey folder);

	/**
	 * Instances of a service from {@code /v1/health/service/:name}.
	 * @param service the service name
	 * @param passingOnly only instances whose checks all pass
	 * @return the instances with their tags, empty when none
	 * @throws ConsulAclFilteredException when Consul's ACLs removed entries from the
	 * answer (the broker's token cannot read the service or a node it runs on)
	 */
	List<ServiceInstance> instances(String service, boolean passingOnly);

	/**
	 * The datacenter of the agent the broker talks to.
	 * @return the datacenter name
	 */
	String datacenter();

}
