package io.github.redisonmesos.broker.tls;

import java.util.List;
import java.util.OptionalInt;

import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.ServiceNames;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The URI of an instance app's {@code fetch}: the Mesos fetcher downloads the node's key
 * and certificate from here before the task's command runs (docs/TLS.md). No basic auth:
 * the single-use token is the authority, and without it a fetch gets the CA certificate
 * alone, which is public. The instance id passes the OSB id rule first (web).
 */
@RestController
class TlsDeliveryController {

	private final TlsDeliveries deliveries;

	private final RedisDeployer deployer;

	private final boolean addressStyle;

	private final String consulDomain;

	TlsDeliveryController(TlsDeliveries deliveries, RedisDeployer deployer,
			@Value("${broker.credentials.host-style:address}") String hostStyle,
			@Value("${broker.credentials.consul-domain:consul}") String consulDomain) {
		this.deliveries = deliveries;
		this.deployer = deployer;
		this.addressStyle = hostStyle.strip().replace('_', '-').equalsIgnoreCase("address");
		this.consulDomain = consulDomain;
	}

	// the Consul DNS name always; with host style address the agent the task was staged
	// on, as Marathon lists it (the fetch itself may come through a router)
	@GetMapping(path = "/tls/v1/instances/{instanceId}/delivery", produces = MediaType.TEXT_PLAIN_VALUE)
	String delivery(@PathVariable String instanceId, @RequestParam(defaultValue = "") String token) {
		return this.deliveries.deliver(instanceId, token, List.of(ServiceNames.dnsName(instanceId, this.consulDomain)),
				this.addressStyle ? this.deployer.taskHosts(instanceId) : List.of());
	}

	// one node of an HA instance (an index of at most 4 digits, as the nodes' Consul
	// tags;
	// anything else is 404): its own Redis and Sentinel names
	// (node-<n>.<service>.service.<domain>, which consul-dns bindings give), the
	// instance's, and with host style address the agent of the node's task
	@GetMapping(path = "/tls/v1/instances/{instanceId}/nodes/{node:[0-9][0-9]?[0-9]?[0-9]?}/delivery",
			produces = MediaType.TEXT_PLAIN_VALUE)
	String nodeDelivery(@PathVariable String instanceId, @PathVariable int node,
			@RequestParam(defaultValue = "") String token) {
		return this.deliveries.deliver(instanceId, OptionalInt.of(node), token, nodeNames(instanceId, node),
				this.addressStyle ? this.deployer.nodeTaskHosts(instanceId, node) : List.of());
	}

	List<String> nodeNames(String instanceId, int node) {
		String redis = ServiceNames.of(instanceId);
		String sentinel = ServiceNames.sentinelOf(instanceId);
		return List.of(ServiceNames.dnsName(instanceId, this.consulDomain),
				ServiceNames.nodeDnsName(redis, node, this.consulDomain),
				ServiceNames.nodeDnsName(sentinel, node, this.consulDomain),
				sentinel + ".service." + this.consulDomain);
	}

}
