package io.github.redisonmesos.broker.redis;

import java.time.Duration;

/**
 * Builds the Redis user administration outside a Spring context.
 */
public final class TestRedisAcl {

	private TestRedisAcl() {
	}

	public static RedisAcl create() {
		return new RedisAcl(new RedisProperties(Duration.ofSeconds(2)));
	}

}
