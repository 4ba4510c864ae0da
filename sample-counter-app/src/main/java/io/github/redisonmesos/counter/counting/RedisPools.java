package io.github.redisonmesos.counter.counting;

import io.github.redisonmesos.counter.binding.ConsulBinding;
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
 * new pool replaces the old one and the old one is closed.
 */
@Component
class RedisPools implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RedisPools.class);

	private final JedisClientConfig clientConfig;

	private final RedisClientProperties properties;

	private volatile Current current;

	RedisPools(ConsulBinding binding, RedisClientProperties properties) {
		int timeoutMillis = (int) properties.timeout().toMillis();
		this.clientConfig = DefaultJedisClientConfig.builder()
			.password(binding.password())
			.connectionTimeoutMillis(timeoutMillis)
			.socketTimeoutMillis(timeoutMillis)
			.clientName("sample-counter-app")
			.build();
		this.properties = properties;
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
		JedisPooled pool = new JedisPooled(new HostAndPort(endpoint.host(), endpoint.port()), this.clientConfig,
				poolConfig);
		this.current = new Current(endpoint, pool);
		if (old != null) {
			old.pool().close();
		}
		logger.info("event=redis_pool_replaced from={} to={}", (old != null) ? old.endpoint() : "none", endpoint);
		return pool;
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
