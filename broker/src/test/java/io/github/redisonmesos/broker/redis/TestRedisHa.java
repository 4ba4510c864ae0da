package io.github.redisonmesos.broker.redis;

import java.time.Duration;

import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.tls.InstanceCertificates;

/**
 * Builds the HA administration outside a Spring context.
 */
public final class TestRedisHa {

	private TestRedisHa() {
	}

	public static RedisHa create() {
		return new RedisHaAdmin(new RedisProperties(Duration.ofSeconds(2)));
	}

	/**
	 * The HA administration of instances with TLS.
	 * @param certificates the broker's signer, whose CA alone its connections trust
	 * @return the administration
	 */
	public static RedisHa create(InstanceCertificates certificates) {
		return new RedisHaAdmin(new RedisProperties(Duration.ofSeconds(2)), certificates);
	}

}
