package io.github.redisonmesos.broker.binding;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;

/**
 * Where an instance's binding users live: its one Redis, or every node and Sentinel of an
 * HA instance.
 */
sealed interface UserPlace permits UserPlace.OneRedis, UserPlace.HaNodes {

	static UserPlace of(RedisEndpoint redis) {
		return new OneRedis(redis);
	}

	static UserPlace of(HaAccess ha) {
		return new HaNodes(ha);
	}

	/**
	 * A single Redis's users: on that Redis.
	 *
	 * @param redis the Redis Consul lists as passing
	 */
	record OneRedis(RedisEndpoint redis) implements UserPlace {

	}

	/**
	 * An HA instance's users: on every node and Sentinel.
	 *
	 * @param access the nodes and the secrets
	 */
	record HaNodes(HaAccess access) implements UserPlace {

	}

}
