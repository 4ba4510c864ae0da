package io.github.redisonmesos.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.redisonmesos.broker.deployment.RedisEndpoint;
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
 * Creates and deletes an instance's Redis ACL users, as its admin user, and saves them to
 * the instance's ACL file (on its volume), so that they outlive a restart or a move of
 * Redis. A connection per call: bindings are rare, and each instance is another Redis.
 * Passwords reach Redis as SHA-256 only ({@code #<hex>}), never in plain text.
 */
@Component
public class RedisAcl {

	/**
	 * The Redis user the broker administers each Redis with; only the broker knows its
	 * password.
	 */
	public static final String ADMIN_USER = "osb-admin";

	private final int timeoutMillis;

	RedisAcl(RedisProperties properties) {
		this.timeoutMillis = (int) properties.timeout().toMillis();
	}

	/**
	 * Create or replace a user: it ends up with exactly this password and these rules.
	 * @param redis where Redis listens
	 * @param adminPassword the admin user's password
	 * @param user the user name
	 * @param passwordSha256 SHA-256 (hex) of the user's password
	 * @param rules the ACL rules of the user's plan ({@code ~* &* +@all -@admin})
	 * @throws RedisUnavailableException when Redis cannot be reached or failed mid-way
	 */
	public void putUser(RedisEndpoint redis, String adminPassword, String user, String passwordSha256,
			List<String> rules) {
		List<String> all = new ArrayList<>(List.of("reset", "on", "#" + passwordSha256));
		all.addAll(rules);
		run(redis, adminPassword, "create user " + user, (jedis) -> {
			jedis.aclSetUser(user, all.toArray(String[]::new));
			jedis.aclSave();
		});
	}

	/**
	 * Delete a user; Redis closes every connection it has open at once. Deleting a user
	 * that does not exist is not an error.
	 * @param redis where Redis listens
	 * @param adminPassword the admin user's password
	 * @param user the user name
	 * @throws RedisUnavailableException when Redis cannot be reached or failed mid-way
	 */
	public void deleteUser(RedisEndpoint redis, String adminPassword, String user) {
		run(redis, adminPassword, "delete user " + user, (jedis) -> {
			jedis.aclDelUser(user);
			jedis.aclSave();
		});
	}

	private static RuntimeException notReached(RedisEndpoint redis, String what, JedisException ex) {
		if (ex instanceof JedisAccessControlException) {
			return new ServiceBrokerException("Redis at " + redis + " refuses the broker's admin user " + ADMIN_USER
					+ " (" + ex.getMessage() + "): the instance's ACL file or the app template does not set the "
					+ "admin password the broker holds; check broker.marathon.app-template.", ex);
		}
		return new RedisUnavailableException("Redis at " + redis + " is unreachable (" + ex.getMessage()
				+ ") while the broker tried to " + what + "; it may be moving: retry in a minute.", false, ex);
	}

	private void run(RedisEndpoint redis, String adminPassword, String what, Consumer<Jedis> commands) {
		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(ADMIN_USER)
			.password(adminPassword)
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
			throw notReached(redis, what, ex);
		}
		try (jedis) {
			try {
				jedis.ping();
			}
			catch (JedisException ex) {
				throw notReached(redis, what, ex);
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
