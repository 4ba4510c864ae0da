package io.github.redisonmesos.broker.redis;

import java.time.Duration;

import io.github.redisonmesos.broker.binding.RedisUsers;

/**
 * Builds the Redis user administration outside a Spring context.
 */
public final class TestRedisAcl {

	private TestRedisAcl() {
	}

	public static RedisUsers create() {
		return new RedisAcl(new RedisProperties(Duration.ofSeconds(2)));
	}

}
