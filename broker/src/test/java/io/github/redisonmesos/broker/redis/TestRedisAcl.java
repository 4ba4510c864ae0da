package io.github.redisonmesos.broker.redis;

import java.time.Duration;

import io.github.redisonmesos.broker.backup.RdbSource;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.tls.InstanceCertificates;

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

	public static RedisUsers create(InstanceCertificates certificates) {
		return new RedisAcl(new RedisProperties(Duration.ofSeconds(2)), certificates);
	}

	public static RdbSource rdbSource() {
		return new ReplicationRdbSource(new RedisProperties(Duration.ofSeconds(2)), new Passwords());
	}

	public static RdbSource rdbSource(InstanceCertificates certificates) {
		return new ReplicationRdbSource(new RedisProperties(Duration.ofSeconds(2)), new Passwords(), certificates);
	}

	public static RedisMemory memory() {
		return new RedisAcl(new RedisProperties(Duration.ofSeconds(2)));
	}

}
