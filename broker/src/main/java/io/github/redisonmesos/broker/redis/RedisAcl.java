package io.github.redisonmesos.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.redisonmesos.broker.binding.RedisUsers;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.stereotype.Component;

/**
 * {@link RedisUsers} as Redis ACL users: creates and deletes them as the instance's admin
 * user, and saves them to the instance's ACL file (on its volume), so that they outlive a
 * restart or a move of Redis. A connection per call: bindings are rare, and each instance
 * is another Redis. Passwords reach Redis as SHA-256 only ({@code #<hex>}), never in
 * plain text.
 */
@Component
class RedisAcl implements RedisUsers {

	private final int timeoutMillis;

	RedisAcl(RedisProperties properties) {
		this.timeoutMillis = (int) properties.timeout().toMillis();
	}

	@Override
	public void put(RedisAdmin admin, String user, String passwordSha256, List<String> rules) {
		List<String> all = new ArrayList<>(List.of("reset", "on", "#" + passwordSha256));
		all.addAll(rules);
		run(admin, "create user " + user, (jedis) -> {
			jedis.aclSetUser(user, all.toArray(String[]::new));
			jedis.aclSave();
		});
	}

	@Override
	public void delete(RedisAdmin admin, String user) {
		run(admin, "delete user " + user, (jedis) -> {
			jedis.aclDelUser(user);
			jedis.aclSave();
		});
	}

	private static RuntimeException notReached(RedisAdmin admin, String what, JedisException ex) {
		RedisEndpoint redis = admin.endpoint();
		if (ex instanceof JedisAccessControlException) {
			return new ServiceBrokerException("Redis at " + redis + " refuses the broker's admin user " + admin.user()
					+ " (" + ex.getMessage() + "): the instance's ACL file or the app template does not set the "
					+ "admin password the broker holds; check broker.marathon.app-template.", ex);
		}
		return new RedisUnavailableException("Redis at " + redis + " is unreachable (" + ex.getMessage()
				+ ") while the broker tried to " + what + "; it may be moving: retry in a minute.", false, ex);
	}

	private void run(RedisAdmin admin, String what, Consumer<Jedis> commands) {
		RedisEndpoint redis = admin.endpoint();
		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(admin.user())
			.password(admin.password())
			.connectionTimeoutMillis(this.timeoutMillis)
			.socketTimeoutMillis(this.timeoutMillis)
			.clientName("osb-broker")
			.build();
		// connecting authenticates (Jedis sends AUTH at once): nothing of the change is
		// sent until the PING has answered
		Jedis jedis;
		try {
			jedis = new Jedis(new HostAndPort(redis.host(), redis.port()), config);
		}
		catch (JedisException ex) {
			throw notReached(admin, what, ex);
		}
		try (jedis) {
			try {
				jedis.ping();
			}
			catch (JedisException ex) {
				throw notReached(admin, what, ex);
			}
			commands.accept(jedis);
		}
		catch (JedisConnectionException ex) {
			throw new RedisUnavailableException("Redis at " + redis + " dropped the connection (" + ex.getMessage()
					+ ") while the broker tried to " + what + "; it may be moving: retry in a minute.", true, ex);
		}
		catch (JedisDataException ex) {
			if (String.valueOf(ex.getMessage()).contains("ACL file")) {
				throw new ServiceBrokerException("Redis at " + redis + " has no ACL file (" + ex.getMessage()
						+ "), so its users would not survive a restart: the app template must start redis-server "
						+ "with --aclfile on the instance's volume; check broker.marathon.app-template.", ex);
			}
			throw new ServiceBrokerException("Redis at " + redis + " refused to " + what + " (" + ex.getMessage()
					+ "); check the plan's " + "acl-rules (broker.catalog.plans) and the app template.", ex);
		}
	}

}
