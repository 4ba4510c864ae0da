package io.github.redisonmesos.broker.consul;

import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.deployment.ServiceNames;

import org.springframework.stereotype.Component;

/**
 * {@link RedisDiscovery} from Consul's health endpoint: only instances whose checks pass
 * count as where Redis is (the catalog lists dead ones too).
 */
@Component
class ConsulRedisDiscovery implements RedisDiscovery {

	private final ConsulClient consul;

	ConsulRedisDiscovery(ConsulClient consul) {
		this.consul = consul;
	}

	@Override
	public RedisLocation locate(String instanceId) {
		String service = ServiceNames.of(instanceId);
		return new RedisLocation(service, this.consul.instances(service, true));
	}

	@Override
	public boolean registered(String instanceId) {
		return !this.consul.instances(ServiceNames.of(instanceId), false).isEmpty();
	}

	@Override
	public String datacenter() {
		return this.consul.datacenter();
	}

}
