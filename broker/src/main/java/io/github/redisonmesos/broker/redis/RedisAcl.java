package io.github.redisonmesos.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.github.redisonmesos.broker.binding.RedisUsers;
import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisMemory;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@link RedisUsers} as Redis ACL users: creates and deletes them as the instance's admin
 * user, and saves them to the instance's ACL file (on its volume), so that they outlive a
 * restart or a move of Redis. On an HA instance the same on every node, and a user on
 * every Sentinel, saved to the Sentinel's file. A connection per call: bindings are rare,
 * and each instance is another Redis. Passwords reach Redis as SHA-256 only
 * ({@code #<hex>}), never in plain text. As {@link RedisMemory}, it reads what Redis
 * uses, the same way.
 */
@Component
class RedisAcl implements RedisUsers, RedisMemory {

	/**
	 * What a Sentinel client may do, as Jedis' {@code JedisSentineled}, redis-py's
	 * {@code Sentinel} and node-redis' {@code createSentinel} use it: find the primary
	 * ({@code GET-MASTER-ADDR-BY-NAME}: Jedis; {@code MASTERS}: redis-py; {@code MASTER}:
	 * node-redis), the replicas ({@code SLAVES}: redis-py; {@code REPLICAS}: node-redis)
	 * and the other Sentinels ({@code SENTINELS}: node-redis), follow a failover
	 * ({@code SUBSCRIBE +switch-master}: Jedis; {@code PSUBSCRIBE} of the event names in
	 * the channel rules: node-redis), check and name its connection ({@code PING},
	 * {@code CLIENT SETNAME}). Nothing that changes the Sentinel or reads its
	 * configuration or users.
	 */
	static final List<String> SENTINEL_CLIENT_RULES = List.of("resetchannels", "&+switch-master", "&switch-master",
			"&[-+]sdown", "&[-+]odown", "&+slave", "&+sentinel", "&+slave-reconf-done", "-@all", "+ping",
			"+client|setname", "+sentinel|get-master-addr-by-name", "+sentinel|masters", "+sentinel|master",
			"+sentinel|replicas", "+sentinel|slaves", "+sentinel|sentinels", "+subscribe", "+unsubscribe",
			"+psubscribe", "+punsubscribe");

	private final int timeoutMillis;

	private final InstanceCertificates certificates;

	RedisAcl(RedisProperties properties) {
		this(properties, new InstanceCertificates(InstanceTlsProperties.OFF));
	}

	@Autowired
	RedisAcl(RedisProperties properties, InstanceCertificates certificates) {
		this.timeoutMillis = (int) properties.timeout().toMillis();
		this.certificates = certificates;
	}

	@Override
	public void put(RedisAdmin admin, String user, String passwordSha256, List<String> rules) {
		setUser(admin, user, passwordSha256, rules, Jedis::aclSave);
	}

	@Override
	public void delete(RedisAdmin admin, String user) {
		run(admin, "delete user " + user, (jedis) -> {
			jedis.aclDelUser(user);
			jedis.aclSave();
		});
	}

	@Override
	public long usedMemory(RedisAdmin admin) {
		long[] used = new long[1];
		run(admin, "read INFO memory", (jedis) -> used[0] = usedMemory(jedis.info("memory")));
		return used[0];
	}

	@Override
	public String persistence(RedisAdmin admin) {
		String[] info = new String[1];
		run(admin, "read INFO persistence", (jedis) -> info[0] = jedis.info("persistence"));
		return info[0];
	}

	// "used_memory:1234" among INFO's "name:value" lines
	static long usedMemory(String info) {
		return info.lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.map((line) -> Long.parseLong(line.substring("used_memory:".length()).strip()))
			.findFirst()
			.orElseThrow(() -> new ServiceBrokerException("Redis's INFO memory has no used_memory line."));
	}

	@Override
	public void put(HaAccess ha, String user, String passwordSha256, List<String> rules) {
		EveryNode everyNode = new EveryNode();
		// the primary first: the one a failover promotes next already has the user
		for (HaNode node : primaryFirst(ha)) {
			everyNode.run(() -> put(redis(ha, node), user, passwordSha256, rules));
		}
		for (HaNode node : ha.nodes()) {
			everyNode.run(() -> setUser(sentinel(ha, node), user, passwordSha256, SENTINEL_CLIENT_RULES,
					RedisAcl::flushConfig));
		}
		everyNode.done("create user " + user);
	}

	@Override
	public void delete(HaAccess ha, String user) {
		EveryNode everyNode = new EveryNode();
		// the primary first: a node that starts copies the primary's users
		for (HaNode node : primaryFirst(ha)) {
			everyNode.run(() -> delete(redis(ha, node), user));
		}
		for (HaNode node : ha.nodes()) {
			everyNode.run(() -> run(sentinel(ha, node), "delete user " + user, (jedis) -> {
				jedis.aclDelUser(user);
				flushConfig(jedis);
			}));
		}
		everyNode.done("delete user " + user);
	}

	private void setUser(RedisAdmin admin, String user, String passwordSha256, List<String> rules,
			Consumer<Jedis> save) {
		List<String> all = new ArrayList<>(List.of("reset", "on", "#" + passwordSha256));
		all.addAll(rules);
		run(admin, "create user " + user, (jedis) -> {
			jedis.aclSetUser(user, all.toArray(String[]::new));
			save.accept(jedis);
		});
	}

	// a Sentinel saves a user change only when something makes it rewrite its file
	static void flushConfig(Jedis sentinel) {
		sentinel.sendCommand(Protocol.Command.SENTINEL, "FLUSHCONFIG");
	}

	private List<HaNode> primaryFirst(HaAccess ha) {
		Optional<RedisEndpoint> primary = ha.nodes()
			.stream()
			.map((node) -> namedBy(ha, node))
			.flatMap(Optional::stream)
			.findFirst();
		List<HaNode> nodes = new ArrayList<>(ha.nodes());
		primary.ifPresent((endpoint) -> nodes
			.sort((a, b) -> Boolean.compare(!a.redis().equals(endpoint), !b.redis().equals(endpoint))));
		return nodes;
	}

	private Optional<RedisEndpoint> namedBy(HaAccess ha, HaNode node) {
		try (Jedis sentinel = connect(sentinel(ha, node))) {
			List<String> named = sentinel.sentinelGetMasterAddrByName(ha.masterName());
			return (named != null && named.size() == 2)
					? Optional.of(new RedisEndpoint(named.get(0), Integer.parseInt(named.get(1)))) : Optional.empty();
		}
		catch (JedisException ex) {
			// this Sentinel is away: ask the next; the put reports it
			return Optional.empty();
		}
	}

	private static RedisAdmin redis(HaAccess ha, HaNode node) {
		return new RedisAdmin(node.redis(), ha.admin(), ha.adminPassword(), ha.tls());
	}

	private static RedisAdmin sentinel(HaAccess ha, HaNode node) {
		return new RedisAdmin(node.sentinel(), ha.admin(), ha.adminPassword(), ha.tls());
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

	private Jedis connect(RedisAdmin admin) {
		RedisEndpoint redis = admin.endpoint();
		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(admin.user())
			.password(admin.password())
			.connectionTimeoutMillis(this.timeoutMillis)
			.socketTimeoutMillis(this.timeoutMillis)
			.clientName("osb-broker")
			.ssl(admin.tls().on())
			.sslSocketFactory(admin.tls().on() ? this.certificates.trustingTheCa() : null)
			.build();
		return new Jedis(new HostAndPort(redis.host(), redis.port()), config);
	}

	private void run(RedisAdmin admin, String what, Consumer<Jedis> commands) {
		RedisEndpoint redis = admin.endpoint();
		// connecting authenticates (Jedis sends AUTH at once): nothing of the change is
		// sent until the PING has answered
		Jedis jedis;
		try {
			jedis = connect(admin);
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

	/**
	 * One change on every node and Sentinel: those that answer get it, even when another
	 * is away; then the first that was away fails the call (503, retry), as applied when
	 * any other got the change. A node that comes back takes the primary's users at its
	 * start.
	 */
	private static final class EveryNode {

		private final List<RedisUnavailableException> away = new ArrayList<>();

		private boolean applied;

		void run(Runnable change) {
			try {
				change.run();
				this.applied = true;
			}
			catch (RedisUnavailableException ex) {
				this.away.add(ex);
			}
		}

		void done(String what) {
			if (this.away.isEmpty()) {
				return;
			}
			RedisUnavailableException first = this.away.get(0);
			boolean mayHaveApplied = this.applied
					|| this.away.stream().anyMatch(RedisUnavailableException::mayHaveApplied);
			throw new RedisUnavailableException(this.away.size() + " of the HA instance's Redis nodes and Sentinels "
					+ "could not " + what + "; the others did (first: " + first.getMessage() + ")", mayHaveApplied,
					first);
		}

	}

}
