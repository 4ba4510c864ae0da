package io.github.redisonmesos.broker.consul;

import io.github.redisonmesos.broker.deployment.RedisDiscovery;
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
	public boolean registered(String instanceId) {
		return !this.consul.instances(ServiceNames.of(instanceId), false).isEmpty();
	}

	@Override
	public RegistryAccess forApps() {
		return new RegistryAccess(this.appUrl, this.consul.datacenter(), this.appToken);
	}

}
