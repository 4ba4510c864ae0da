package io.github.redisonmesos.broker.redis;

import java.time.Duration;

import io.github.redisonmesos.broker.deployment.RedisHa;

/**
 * Builds the HA administration outside a Spring context.
 */
public final class TestRedisHa {

	private TestRedisHa() {
	}

	public static RedisHa create() {
		return new RedisHaAdmin(new RedisProperties(Duration.ofSeconds(2)));
	}

}
