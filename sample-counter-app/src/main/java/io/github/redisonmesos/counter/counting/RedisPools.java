package io.github.redisonmesos.counter.counting;

import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.binding.RedisTls;
import io.github.redisonmesos.counter.discovery.RedisEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One long-lived {@link JedisPooled} for the current endpoint; when Consul moves Redis, a
 * new pool replaces the old one and the old one is closed. Commands in flight on the old
 * pool finish (closing a pool closes only its idle connections); a request that picks the
 * old pool after it closed is told by {@link #isRetired} that nothing was sent.
 */
@Component
class RedisPools implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RedisPools.class);

	private final DefaultJedisClientConfig.Builder clientConfig;

	private final RedisTls tls;

	private final TlsSockets tlsSockets;

	private final RedisClientProperties properties;

	private final CounterMetrics metrics;

	private volatile Current current;

	RedisPools(RedisBinding binding, RedisClientProperties properties, CounterMetrics metrics) {
		int timeoutMillis = (int) properties.timeout().toMillis();
		// the binding's own ACL user when it names one; without one (an operator's own
		// Redis, the seed demo's variables) the password alone, as Redis's default user
		this.clientConfig = DefaultJedisClientConfig.builder()
			.user(binding.username())
			.password(binding.password())
			.connectionTimeoutMillis(timeoutMillis)
			.socketTimeoutMillis(timeoutMillis)
			.clientName("sample-counter-app");
		this.tls = binding.tls();
		this.tlsSockets = (this.tls != null) ? new TlsSockets(this.tls) : null;
		this.properties = properties;
		this.metrics = metrics;
	}

	JedisPooled poolFor(RedisEndpoint endpoint) {
		Current now = this.current;
		if (now != null && now.endpoint().equals(endpoint)) {
			return now.pool();
		}
		return swap(endpoint);
	}

	/**
	 * Drops idle connections after a connection error: after a Redis restart they are all
	 * dead, and the retry must not pick another one of them.
	 * @param endpoint the endpoint whose pool failed
	 */
	void discardIdle(RedisEndpoint endpoint) {
		Current now = this.current;
		if (now != null && now.endpoint().equals(endpoint)) {
			now.pool().getPool().clear();
		}
	}

	/**
	 * Whether a pool was closed because Redis moved: a command that failed on it was
	 * never sent.
	 * @param pool a pool {@link #poolFor} returned
	 * @return whether it is closed
	 */
	boolean isRetired(JedisPooled pool) {
		return pool.getPool().isClosed();
	}

	private synchronized JedisPooled swap(RedisEndpoint endpoint) {
		Current old = this.current;
		if (old != null && old.endpoint().equals(endpoint)) {
			return old.pool();
		}
		ConnectionPoolConfig poolConfig = new ConnectionPoolConfig();
		poolConfig.setMaxTotal(this.properties.maxConnections());
		poolConfig.setMaxIdle(this.properties.maxConnections());
		poolConfig.setMinIdle(0);
		poolConfig.setMaxWait(this.properties.timeout());
		// each pool would register an MBean, and the first one starts the platform MBean
		// server: 250 classes and their memory in a 256 MB container, for nothing that
		// reads them (the pool's state is in /actuator/prometheus and health)
		poolConfig.setJmxEnabled(false);
		JedisPooled pool = new JedisPooled(address(endpoint), clientConfig(endpoint.host()), poolConfig);
		this.current = new Current(endpoint, pool);
		this.metrics.endpointInUse(endpoint);
		if (old != null) {
			old.pool().close();
		}
		logger.info("event=redis_pool_replaced from={} to={}", (old != null) ? old.endpoint() : "none", endpoint);
		return pool;
	}

	/**
	 * Where the pool connects: the endpoint, or with TLS beside a plain port
	 * ({@code tls: optional}) the binding's TLS port on the endpoint's host.
	 */
	private HostAndPort address(RedisEndpoint endpoint) {
		int port = (this.tls != null) ? this.tls.portFor(endpoint.port()) : endpoint.port();
		return new HostAndPort(endpoint.host(), port);
	}

	private JedisClientConfig clientConfig(String host) {
		if (this.tlsSockets == null) {
			return this.clientConfig.build();
		}
		return this.clientConfig.ssl(true).sslSocketFactory(this.tlsSockets.forHost(host)).build();
	}

	@Override
	public synchronized void destroy() {
		Current now = this.current;
		this.current = null;
		if (now != null) {
			now.pool().close();
		}
	}

	private record Current(RedisEndpoint endpoint, JedisPooled pool) {
	}

}
