package io.github.redisonmesos.broker.consul;

import java.util.List;

import io.github.redisonmesos.broker.deployment.RedisEndpoint;

/**
 * One registration of a service as Consul's health endpoint lists it.
 *
 * @param endpoint where it listens (the node's address when the service has none)
 * @param tags its tags, in Consul's order
 */
public record ServiceInstance(RedisEndpoint endpoint, List<String> tags) {

	public ServiceInstance {
		tags = List.copyOf(tags);
	}

}
