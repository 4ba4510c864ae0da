package io.github.redisonmesos.localplatform.consul;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Consul's catalog of nodes, services and checks, in memory. The local node stands for
 * the Consul agent on this machine and carries the node-level {@code serfHealth} check.
 */
@Component
public class Catalog {

	/** Name of the node that stands for this machine. */
	public static final String LOCAL_NODE = "local-platform";

	private static final Logger logger = LoggerFactory.getLogger(Catalog.class);

	private final Map<String, CatalogNode> nodes = new TreeMap<>();

	private final Map<String, CatalogService> services = new LinkedHashMap<>();

	private final Map<String, CatalogCheck> checks = new LinkedHashMap<>();

	// Per-service index, so watchers of one service do not wake for changes to another.
	private final Map<String, Long> serviceIndexes = new HashMap<>();

	private final BlockingQueries queries;

	private final String datacenter;

	private final String localNodeId = UUID.randomUUID().toString();

	private long catalogIndex;

	Catalog(BlockingQueries queries, LocalPlatformProperties properties) {
		this.queries = queries;
		this.datacenter = properties.datacenter();
		long index = queries.next();
		this.nodes.put(LOCAL_NODE, new CatalogNode(this.localNodeId, LOCAL_NODE, "127.0.0.1",
				Map.of("lan", "127.0.0.1", "wan", "127.0.0.1"), Map.of(), index, index));
		this.checks.put(key(LOCAL_NODE, "serfHealth"), new CatalogCheck(LOCAL_NODE, "serfHealth", "Serf Health Status",
				CatalogCheck.PASSING, "Agent alive and reachable", "", "", "", List.of(), Map.of(), index, index));
		this.catalogIndex = index;
	}

	String datacenter() {
		return this.datacenter;
	}

	String localNodeId() {
		return this.localNodeId;
	}

	/**
	 * Registers a service instance on the local node with its checks, as the Consul agent
	 * does for a service registration: the checks replace those the instance had.
	 * @param service the service
	 * @param checks its checks, possibly none
	 */
	public void registerLocal(ServiceRegistration service, List<CheckRegistration> checks) {
		registerOnAgent(LOCAL_NODE, "127.0.0.1", service, checks);
	}

	/**
	 * Registers a service instance through the Consul agent of a node (created with its
	 * {@code serfHealth} check when new), as marathon-consul registers a task through the
	 * agent on the task's host: the checks replace those the instance had.
	 * @param nodeName the node
	 * @param address the node's address
	 * @param service the service
	 * @param checks its checks, possibly none
	 */
	public void registerOnAgent(String nodeName, String address, ServiceRegistration service,
			List<CheckRegistration> checks) {
		synchronized (this) {
			long index = this.queries.next();
			if (!this.nodes.containsKey(nodeName)) {
				this.nodes.put(nodeName, new CatalogNode(UUID.nameUUIDFromBytes(nodeName.getBytes()).toString(),
						nodeName, address, Map.of("lan", address, "wan", address), Map.of(), index, index));
				this.checks.put(key(nodeName, "serfHealth"),
						new CatalogCheck(nodeName, "serfHealth", "Serf Health Status", CatalogCheck.PASSING,
								"Agent alive and reachable", "", "", "", List.of(), Map.of(), index, index));
			}
			CatalogService existing = this.services.get(key(nodeName, service.id()));
			this.services.put(key(nodeName, service.id()),
					new CatalogService(nodeName, service, (existing != null) ? existing.createIndex() : index, index));
			Map<String, CatalogCheck> previous = new HashMap<>();
			this.checks.values().removeIf((check) -> {
				boolean own = check.node().equals(nodeName) && check.serviceId().equals(service.id());
				if (own) {
					previous.put(check.checkId(), check);
				}
				return own;
			});
			for (CheckRegistration check : checks) {
				CatalogCheck before = previous.get(check.checkId());
				this.checks.put(key(nodeName, check.checkId()),
						new CatalogCheck(nodeName, check.checkId(), check.name(), check.status(), check.notes(),
								check.output(), service.id(), service.name(), service.tags(), check.definition(),
								(before != null) ? before.createIndex() : index, index));
			}
			touch(service.name(), index);
			this.catalogIndex = index;
			logger.info("catalog.register node={} service={} checks={}", nodeName, service.id(), checks.size());
		}
		this.queries.changed();
	}

	/**
	 * The service instances of a node that carry a tag.
	 * @param nodeName the node
	 * @param tag the tag
	 * @return their service ids
	 */
	public synchronized List<String> serviceIdsOnAgent(String nodeName, String tag) {
		return this.services.values()
			.stream()
			.filter((entry) -> entry.node().equals(nodeName) && entry.service().tags().contains(tag))
			.map((entry) -> entry.service().id())
			.toList();
	}

	/**
	 * Sets the status of a check on a node.
	 * @param nodeName the node
	 * @param checkId the check id
	 * @param status {@code passing}, {@code warning} or {@code critical}
	 * @param output the probe output
	 */
	public void updateCheckOnAgent(String nodeName, String checkId, String status, String output) {
		synchronized (this) {
			CatalogCheck check = this.checks.get(key(nodeName, checkId));
			if (check == null || check.status().equals(status)) {
				return;
			}
			long index = this.queries.next();
			this.checks.put(key(nodeName, checkId), check.withStatus(status, output, index));
			touch(check.serviceName(), index);
		}
		this.queries.changed();
	}

	/**
	 * Removes a service instance of a node and its checks.
	 * @param nodeName the node
	 * @param serviceId the service id
	 */
	public void deregisterOnAgent(String nodeName, String serviceId) {
		deregister(nodeName, serviceId, null);
	}

	/**
	 * The ids of the local node's service instances that carry a tag.
	 * @param tag the tag
	 * @return their service ids
	 */
	public List<String> localServiceIds(String tag) {
		return serviceIdsOnAgent(LOCAL_NODE, tag);
	}

	/**
	 * Sets the status of a check on the local node.
	 * @param checkId the check id
	 * @param status {@code passing}, {@code warning} or {@code critical}
	 * @param output the probe output
	 */
	public void updateLocalCheck(String checkId, String status, String output) {
		updateCheckOnAgent(LOCAL_NODE, checkId, status, output);
	}

	/**
	 * Removes a service instance of the local node and its checks.
	 * @param serviceId the service id
	 */
	public void deregisterLocal(String serviceId) {
		deregister(LOCAL_NODE, serviceId, null);
	}

	void register(CatalogNode node, ServiceRegistration service, CheckRegistration check) {
		synchronized (this) {
			String nodeName = (node != null) ? node.name() : LOCAL_NODE;
			// Looked up before any change, so a rejected registration leaves the catalog
			// as it was.
			ServiceRegistration checkedService = (check == null || check.serviceId().isEmpty()) ? null
					: (service != null && service.id().equals(check.serviceId())) ? service
							: serviceOf(nodeName, check.serviceId());
			long index = this.queries.next();
			if (node != null) {
				CatalogNode existing = this.nodes.get(node.name());
				this.nodes.put(node.name(),
						node.withIndexes((existing != null) ? existing.createIndex() : index, index));
			}
			if (service != null) {
				CatalogService existing = this.services.get(key(nodeName, service.id()));
				this.services.put(key(nodeName, service.id()), new CatalogService(nodeName, service,
						(existing != null) ? existing.createIndex() : index, index));
				touch(service.name(), index);
			}
			if (check != null) {
				String serviceName = (checkedService != null) ? checkedService.name() : "";
				List<String> tags = (checkedService != null) ? checkedService.tags() : List.of();
				CatalogCheck existing = this.checks.get(key(nodeName, check.checkId()));
				this.checks.put(key(nodeName, check.checkId()),
						new CatalogCheck(nodeName, check.checkId(), check.name(), check.status(), check.notes(),
								check.output(), check.serviceId(), serviceName, tags, check.definition(),
								(existing != null) ? existing.createIndex() : index, index));
				touch(serviceName, index);
			}
			this.catalogIndex = index;
			logger.info("catalog.register node={} service={}", nodeName, (service != null) ? service.id() : "");
		}
		this.queries.changed();
	}

	void deregister(String nodeName, String serviceId, String checkId) {
		synchronized (this) {
			long index = this.queries.next();
			if (serviceId == null && checkId == null) {
				this.nodes.remove(nodeName);
				this.services.values().removeIf((service) -> {
					boolean gone = service.node().equals(nodeName);
					if (gone) {
						touch(service.service().name(), index);
					}
					return gone;
				});
				this.checks.values().removeIf((check) -> check.node().equals(nodeName));
			}
			else if (serviceId != null) {
				CatalogService removed = this.services.remove(key(nodeName, serviceId));
				if (removed != null) {
					touch(removed.service().name(), index);
				}
				this.checks.values()
					.removeIf((check) -> check.node().equals(nodeName) && check.serviceId().equals(serviceId));
			}
			else {
				CatalogCheck removed = this.checks.remove(key(nodeName, checkId));
				if (removed != null) {
					touch(removed.serviceName(), index);
				}
			}
			this.catalogIndex = index;
			logger.info("catalog.deregister node={} service={} check={}", nodeName, serviceId, checkId);
		}
		this.queries.changed();
	}

	synchronized long catalogIndex() {
		return this.catalogIndex;
	}

	synchronized long serviceIndex(String name) {
		return this.serviceIndexes.getOrDefault(name, this.catalogIndex);
	}

	synchronized Map<String, List<String>> serviceNames() {
		Map<String, TreeSet<String>> names = new TreeMap<>();
		this.services.values()
			.forEach((entry) -> names.computeIfAbsent(entry.service().name(), (name) -> new TreeSet<>())
				.addAll(entry.service().tags()));
		Map<String, List<String>> result = new LinkedHashMap<>();
		names.forEach((name, tags) -> result.put(name, new ArrayList<>(tags)));
		return result;
	}

	synchronized List<CatalogService> instances(String name, String tag) {
		return this.services.values()
			.stream()
			.filter((entry) -> entry.service().name().equals(name))
			.filter((entry) -> tag == null || entry.service().tags().contains(tag))
			.toList();
	}

	synchronized CatalogNode node(String name) {
		return this.nodes.get(name);
	}

	/**
	 * The name of a registered service instance, for the ACL check of its deregistration.
	 * @return the service's name, null when the instance is not registered
	 */
	synchronized String serviceName(String nodeName, String serviceId) {
		CatalogService entry = this.services.get(key(nodeName, serviceId));
		return (entry != null) ? entry.service().name() : null;
	}

	/**
	 * The checks that decide an instance's health: its own and its node's.
	 */
	synchronized List<CatalogCheck> checksOf(CatalogService entry) {
		return this.checks.values()
			.stream()
			.filter((check) -> check.node().equals(entry.node()))
			.filter((check) -> check.serviceId().isEmpty() || check.serviceId().equals(entry.service().id()))
			.toList();
	}

	private ServiceRegistration serviceOf(String nodeName, String serviceId) {
		CatalogService entry = this.services.get(key(nodeName, serviceId));
		if (entry == null) {
			throw new ConsulBadRequestException("Missing service '" + serviceId + "' registration on node '" + nodeName
					+ "': register the service before its check");
		}
		return entry.service();
	}

	private void touch(String serviceName, long index) {
		if (!serviceName.isEmpty()) {
			this.serviceIndexes.put(serviceName, index);
		}
	}

	private static String key(String node, String id) {
		return node + "\u0000" + id;
	}

}
