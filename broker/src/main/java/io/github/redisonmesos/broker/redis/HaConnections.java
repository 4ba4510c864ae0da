package io.github.redisonmesos.broker.redis;

import java.util.function.Function;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Connections to an HA instance's nodes and Sentinels as its admin user, over TLS when
 * the instance has it: one per call and node, since the broker talks to them at provision
 * and after a node comes back, not per request.
 */
final class HaConnections {

	private final int timeoutMillis;

	private final InstanceCertificates certificates;

	HaConnections(RedisProperties properties, InstanceCertificates certificates) {
		this.timeoutMillis = (int) properties.timeout().toMillis();
		this.certificates = certificates;
	}

	// with TLS the chain is checked against the operator's CA alone, not the name: the
	// broker connects to the addresses Consul lists (docs/TLS.md)
	Jedis connect(RedisEndpoint endpoint, HaAccess access) {
		return new Jedis(new HostAndPort(endpoint.host(), endpoint.port()),
				DefaultJedisClientConfig.builder()
					.user(access.admin())
					.password(access.adminPassword())
					.connectionTimeoutMillis(this.timeoutMillis)
					.socketTimeoutMillis(this.timeoutMillis)
					.clientName("osb-broker")
					.ssl(access.tls().on())
					.sslSocketFactory(access.tls().on() ? this.certificates.trustingTheCa() : null)
					.build());
	}

	/**
	 * Run commands on one node or Sentinel; one that does not answer is a
	 * {@link RedisUnavailableException} (retry).
	 * @param what what the broker tried, for the message
	 */
	<T> T run(RedisEndpoint endpoint, HaAccess access, String what, Function<Jedis, T> commands) {
		try (Jedis jedis = connect(endpoint, access)) {
			return commands.apply(jedis);
		}
		catch (JedisException ex) {
			throw new RedisUnavailableException("Redis at " + endpoint + " did not answer (" + ex.getMessage()
					+ ") while the broker tried to " + what + "; it may be moving: retry in a minute.", true, ex);
		}
	}

}
