package io.github.redisonmesos.broker.binding;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;

/**
 * Where an instance's binding users live: its one Redis, or every node and Sentinel of an
 * HA instance.
 *
 * @param redis the one Redis, {@code null} for an HA instance
 * @param ha the HA instance's nodes, {@code null} for one Redis
 */
record UserPlace(RedisEndpoint redis, HaAccess ha) {

	static UserPlace of(RedisEndpoint redis) {
		return new UserPlace(redis, null);
	}

	static UserPlace of(HaAccess ha) {
		return new UserPlace(null, ha);
	}

}
