package io.github.redisonmesos.broker.redis;

import java.time.Duration;

import io.github.redisonmesos.broker.backup.RdbSource;
import io.github.redisonmesos.broker.security.Passwords;

import io.github.redisonmesos.broker.binding.RedisUsers;
import io.github.redisonmesos.broker.deployment.RedisMemory;

/**
 * Builds the Redis user administration outside a Spring context.
 */
public final class TestRedisAcl {

	private TestRedisAcl() {
	}

	public static RedisUsers create() {
		return new RedisAcl(new RedisProperties(Duration.ofSeconds(2)));
	}

	public static RdbSource rdbSource() {
		return new ReplicationRdbSource(new RedisProperties(Duration.ofSeconds(2)), new Passwords());
	}

	public static RedisMemory memory() {
		return new RedisAcl(new RedisProperties(Duration.ofSeconds(2)));
	}

}
