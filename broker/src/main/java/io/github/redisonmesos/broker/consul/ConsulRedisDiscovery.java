package io.github.redisonmesos.broker.consul;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.deployment.RegistryAccess;
import io.github.redisonmesos.broker.deployment.ServiceNames;

import org.springframework.stereotype.Component;

/**
 * {@link RedisDiscovery} from Consul's health endpoint: only instances whose checks pass
 * count as where Redis is (the catalog lists dead ones too).
 */
@Component
class ConsulRedisDiscovery implements RedisDiscovery {

	private final ConsulClient consul;

	private final String appUrl;

	private final String appToken;

	ConsulRedisDiscovery(ConsulClient consul, ConsulProperties properties) {
		this.consul = consul;
		this.appUrl = properties.appUrl().toString();
		// empty when CONSUL_APP_TOKEN is not set: then the credentials have no
		// consul_token
		this.appToken = properties.appToken();
	}

	@Override
	public RedisLocation locate(String instanceId) {
		String service = ServiceNames.of(instanceId);
		return new RedisLocation(service,
				this.consul.instances(service, true).stream().map(ServiceInstance::endpoint).toList());
	}

	@Override
	public List<HaNode> locateHa(String instanceId) {
		Map<Integer, RedisEndpoint> redis = passingByNode(ServiceNames.of(instanceId));
		Map<Integer, RedisEndpoint> sentinels = passingByNode(ServiceNames.sentinelOf(instanceId));
		List<HaNode> nodes = new ArrayList<>();
		redis.forEach((index, endpoint) -> {
			if (sentinels.containsKey(index)) {
				nodes.add(new HaNode(index, endpoint, sentinels.get(index)));
			}
		});
		return nodes;
	}

	/**
	 * The passing registrations of a service by the node their tag names, sorted; one
	 * without a node tag is no HA node's. Should a node be listed twice (a replaced task
	 * not yet deregistered), the first listed counts: the caller asks the Sentinels who
	 * is who anyway.
	 */
	private Map<Integer, RedisEndpoint> passingByNode(String service) {
		Map<Integer, RedisEndpoint> byNode = new TreeMap<>();
		for (ServiceInstance instance : this.consul.instances(service, true)) {
			instance.tags()
				.stream()
				.map(ServiceNames::nodeOf)
				.filter(OptionalInt::isPresent)
				.findFirst()
				.ifPresent((node) -> byNode.putIfAbsent(node.getAsInt(), instance.endpoint()));
		}
		return byNode;
	}

	@Override
	public boolean registered(String instanceId) {
		return !this.consul.instances(ServiceNames.of(instanceId), false).isEmpty();
	}

	@Override
	public RegistryAccess forApps() {
		return new RegistryAccess(this.appUrl, this.consul.datacenter(), this.appToken);
	}

}
