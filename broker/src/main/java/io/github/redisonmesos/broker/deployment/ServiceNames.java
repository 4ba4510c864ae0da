package io.github.redisonmesos.broker.deployment;

import java.util.OptionalInt;

/**
 * The registry names of an instance: the Marathon adapter labels the apps with them
 * (marathon-consul registers them under these names and tags) and the Consul adapter
 * looks them up, so both take them from here.
 */
public final class ServiceNames {

	/**
	 * The longest DNS label, and so the longest service name Consul DNS answers for
	 * ({@code <name>.service.consul}).
	 */
	public static final int MAX_LABEL_LENGTH = 63;

	private static final String REDIS_PREFIX = "redis-";

	/**
	 * As long as {@link #REDIS_PREFIX}: an instance id of up to 57 characters fits a DNS
	 * label in both names ({@code redis-<id>-sentinel} would take 72).
	 */
	private static final String SENTINEL_PREFIX = "sntnl-";

	private static final String NODE_TAG_PREFIX = "node-";

	private ServiceNames() {
	}

	/**
	 * The service name of an instance's Redis.
	 * @param instanceId the instance id
	 * @return {@code redis-<instance-id>}
	 */
	public static String of(String instanceId) {
		return REDIS_PREFIX + instanceId;
	}

	/**
	 * The service name of an HA instance's Sentinels. An instance id of up to 57
	 * characters gives at most 63, one DNS label, as {@link #of} does.
	 * @param instanceId the instance id
	 * @return {@code sntnl-<instance-id>}
	 */
	public static String sentinelOf(String instanceId) {
		return SENTINEL_PREFIX + instanceId;
	}

	/**
	 * The prefix the names of {@code service}'s kind start with, as an ACL policy's
	 * {@code service_prefix} rule grants them.
	 * @param service a service name
	 * @return {@code redis-} or {@code sntnl-}; the name itself for another service
	 */
	public static String prefixOf(String service) {
		for (String prefix : new String[] { REDIS_PREFIX, SENTINEL_PREFIX }) {
			if (service.startsWith(prefix)) {
				return prefix;
			}
		}
		return service;
	}

	/**
	 * The tag both registrations of an HA node carry (the app label {@code node-<n>} with
	 * the value {@code tag}).
	 * @param node the node's index
	 * @return {@code node-<n>}
	 */
	public static String nodeTag(int node) {
		return NODE_TAG_PREFIX + node;
	}

	/**
	 * The node index a registration's tag names.
	 * @param tag one tag of a registration
	 * @return the index for {@code node-<n>} with a decimal {@code n} of at most 4
	 * digits, empty for any other tag
	 */
	public static OptionalInt nodeOf(String tag) {
		String digits = tag.startsWith(NODE_TAG_PREFIX) ? tag.substring(NODE_TAG_PREFIX.length()) : "";
		if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return OptionalInt.empty();
		}
		return OptionalInt.of(Integer.parseInt(digits));
	}

	/**
	 * The name Consul's DNS answers for an instance's Redis wherever it runs.
	 * @param instanceId the OSB instance id
	 * @param domain Consul's DNS domain, e.g. {@code consul}
	 * @return {@code redis-<instance-id>.service.<domain>}
	 */
	public static String dnsName(String instanceId, String domain) {
		return of(instanceId) + ".service." + domain;
	}

	/**
	 * The Consul DNS name of one HA node's registration of a service: the node's tag as a
	 * DNS label before the service (one A record, the node's own).
	 * @param service the service, {@link #of(String)} or {@link #sentinelOf(String)}
	 * @param node the node's index
	 * @param domain the Consul domain, e.g. {@code consul}
	 * @return {@code node-<n>.<service>.service.<domain>}
	 */
	public static String nodeDnsName(String service, int node, String domain) {
		return nodeTag(node) + "." + service + ".service." + domain;
	}

}
