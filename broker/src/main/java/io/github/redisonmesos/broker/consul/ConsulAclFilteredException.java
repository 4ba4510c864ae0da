package io.github.redisonmesos.broker.consul;

import io.github.redisonmesos.broker.deployment.ServiceNames;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

/**
 * Consul answered a listing of a service with entries removed by its ACLs (the header
 * {@value #HEADER}: true): the broker's token lacks {@code service:read} on the service
 * or {@code node:read} on a node it runs on. Consul says so only in that header (the
 * answer is a 200 with fewer entries, or none), so without this the broker would wait for
 * instances it can never see. A broker error (500), never a 503: retrying cannot help
 * until the token's policy changes.
 */
public class ConsulAclFilteredException extends ServiceBrokerException {

	/**
	 * The header Consul 1.11+ sets on a listing that its ACLs filtered, for a request
	 * that sent a token (agent/http.go setResultsFilteredByACLs; never set to "false").
	 */
	public static final String HEADER = "X-Consul-Results-Filtered-By-ACLs";

	private static final String POLICY = "manifests/consul/broker-policy.hcl";

	/**
	 * The failure of a listing of {@code service}.
	 * @param service the service name asked for
	 */
	public ConsulAclFilteredException(String service) {
		super(describe(service));
	}

	/**
	 * What the operator reads: which service, which permissions, which variable and which
	 * rule of the shipped policy; never the token.
	 * @param service the service name asked for
	 * @return the description
	 */
	static String describe(String service) {
		return "Consul filtered service " + service + " out of its answer (" + HEADER + "): CONSUL_TOKEN needs "
				+ "service:read on \"" + service + "\" and node:read on the nodes it runs on (" + POLICY
				+ ": service_prefix \"" + ServiceNames.prefixOf(service) + "\" and node_prefix \"\" with policy "
				+ "\"read\"); retrying will not help until the token's policy grants them.";
	}

	/**
	 * Whether an answer's headers say that Consul's ACLs removed entries from it.
	 * @param value the value of {@value #HEADER}, {@code null} when absent
	 * @return whether it is {@code true}
	 */
	static boolean filtered(String value) {
		return "true".equalsIgnoreCase(value);
	}

}
