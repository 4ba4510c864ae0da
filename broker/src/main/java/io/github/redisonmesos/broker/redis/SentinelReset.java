package io.github.redisonmesos.broker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Clears the Sentinels' lists of addresses no node has any more (docs/HA-NODE.md,
 * "Addresses the Sentinels forget"). A Sentinel never forgets a replica or a Sentinel it
 * once knew: a node that comes back on another port or agent stays listed at its old
 * address, down, and clients that read from replicas try it. {@code SENTINEL RESET
 * <master-name>} makes a Sentinel forget them all and find the live ones again (the
 * replicas from the primary's {@code INFO} at once, the other Sentinels from their hello
 * messages, every 2 s). One Sentinel at a time, and only while every other Sentinel lists
 * the primary, the live replicas and the other Sentinels: a failover meanwhile finds a
 * quorum.
 */
final class SentinelReset {

	// how Sentinel flags an instance it cannot reach
	private static final Set<String> DOWN = Set.of("s_down", "o_down", "disconnected");

	private final HaAccess access;

	private final RedisEndpoint primary;

	private final Function<RedisEndpoint, Jedis> connect;

	private final Duration relistBound;

	/**
	 * @param access the nodes Consul lists now, and the secrets
	 * @param primary the primary the Sentinels name
	 * @param connect a connection as the admin user
	 * @param relistBound how long a reset Sentinel may take to list every live node again
	 */
	SentinelReset(HaAccess access, RedisEndpoint primary, Function<RedisEndpoint, Jedis> connect,
			Duration relistBound) {
		this.access = access;
		this.primary = primary;
		this.connect = connect;
		this.relistBound = relistBound;
	}

	/**
	 * Reset each Sentinel that lists an address gone, one after the other.
	 * @return the gone addresses the Sentinels no longer list, empty when none listed one
	 * @throws RedisUnavailableException when a Sentinel does not answer, another one
	 * lacks a live node (nothing is reset then), or a reset one does not list every live
	 * node again within the bound (no other is reset then)
	 */
	List<RedisEndpoint> run() {
		Set<RedisEndpoint> cleared = new LinkedHashSet<>();
		for (HaNode node : this.access.nodes()) {
			List<RedisEndpoint> gone = gone(node);
			if (gone.isEmpty()) {
				continue;
			}
			for (HaNode other : this.access.nodes()) {
				if (other != node && !listsEveryLiveNode(other)) {
					throw new RedisUnavailableException(
							"node-" + other.index()
									+ "'s Sentinel does not list every live node yet; the broker resets node-"
									+ node.index() + "'s Sentinel (it lists " + gone + ", gone) once it does.",
							false, null);
				}
			}
			use(node.sentinel(), (sentinel) -> sentinel.sentinelReset(this.access.masterName()));
			long until = System.nanoTime() + this.relistBound.toNanos();
			while (!listsEveryLiveNode(node)) {
				if (System.nanoTime() > until) {
					throw new RedisUnavailableException(
							"node-" + node.index() + "'s Sentinel did not list the primary, "
									+ "the live replicas and the other Sentinels within " + this.relistBound.toSeconds()
									+ " s of its reset; the broker resets no other Sentinel until it does.",
							false, null);
				}
				LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
			}
			cleared.addAll(gone);
		}
		return List.copyOf(cleared);
	}

	/**
	 * The replicas and Sentinels this node's Sentinel lists, down, at no node's address.
	 */
	private List<RedisEndpoint> gone(HaNode node) {
		Set<RedisEndpoint> redis = new LinkedHashSet<>();
		Set<RedisEndpoint> sentinels = new LinkedHashSet<>();
		for (HaNode each : this.access.nodes()) {
			redis.add(each.redis());
			sentinels.add(each.sentinel());
		}
		return use(node.sentinel(), (sentinel) -> {
			List<RedisEndpoint> gone = new ArrayList<>(
					gone(sentinel.sentinelReplicas(this.access.masterName()), redis));
			gone.addAll(gone(sentinel.sentinelSentinels(this.access.masterName()), sentinels));
			return gone;
		});
	}

	/**
	 * The entries of {@code SENTINEL REPLICAS} or {@code SENTINEL SENTINELS} at none of
	 * the given addresses that are down, or that answer with the run id of an entry at a
	 * node's address: the same process reached at an old address too (a node that moved
	 * within one host's reach, as the local platform's agents share one machine). An
	 * entry at a node's address is never gone, nor one that answers as a process of its
	 * own (a node listed under another form of its address).
	 * @param listed the Sentinel's entries
	 * @param current where the nodes listen now
	 * @return the gone entries' addresses
	 */
	static List<RedisEndpoint> gone(List<Map<String, String>> listed, Collection<RedisEndpoint> current) {
		Set<String> live = new LinkedHashSet<>();
		listed.stream()
			.filter((entry) -> current.contains(address(entry)))
			.map((entry) -> entry.getOrDefault("runid", ""))
			.filter((runId) -> !runId.isEmpty())
			.forEach(live::add);
		List<RedisEndpoint> gone = new ArrayList<>();
		for (Map<String, String> entry : listed) {
			RedisEndpoint address = address(entry);
			if (!current.contains(address) && (down(entry) || live.contains(entry.getOrDefault("runid", "")))) {
				gone.add(address);
			}
		}
		return gone;
	}

	/** Whether the node's Sentinel names the primary and lists every other node up. */
	private boolean listsEveryLiveNode(HaNode node) {
		try {
			return use(node.sentinel(), (sentinel) -> {
				List<String> named = sentinel.sentinelGetMasterAddrByName(this.access.masterName());
				if (named == null || named.size() != 2
						|| !this.primary.equals(new RedisEndpoint(named.get(0), Integer.parseInt(named.get(1))))) {
					return false;
				}
				Set<RedisEndpoint> replicas = up(sentinel.sentinelReplicas(this.access.masterName()));
				Set<RedisEndpoint> sentinels = up(sentinel.sentinelSentinels(this.access.masterName()));
				return this.access.nodes()
					.stream()
					.allMatch((other) -> (other.redis().equals(this.primary) || replicas.contains(other.redis()))
							&& (other == node || sentinels.contains(other.sentinel())));
			});
		}
		catch (RedisUnavailableException ex) {
			return false;
		}
	}

	// the entries a Sentinel lists that it does not flag down (also what a switch-over's
	// Sentinel must know)
	static Set<RedisEndpoint> up(List<Map<String, String>> listed) {
		Set<RedisEndpoint> up = new LinkedHashSet<>();
		listed.stream().filter((entry) -> !down(entry)).forEach((entry) -> up.add(address(entry)));
		return up;
	}

	private static boolean down(Map<String, String> entry) {
		for (String flag : entry.getOrDefault("flags", "").split(",")) {
			if (DOWN.contains(flag)) {
				return true;
			}
		}
		return false;
	}

	private static RedisEndpoint address(Map<String, String> entry) {
		return new RedisEndpoint(entry.get("ip"), Integer.parseInt(entry.get("port")));
	}

	private <T> T use(RedisEndpoint sentinel, Function<Jedis, T> commands) {
		try (Jedis jedis = this.connect.apply(sentinel)) {
			return commands.apply(jedis);
		}
		catch (JedisException ex) {
			throw new RedisUnavailableException("the Sentinel at " + sentinel + " did not answer (" + ex.getMessage()
					+ ") while the broker cleared the addresses of nodes gone; it tries again at its next check.",
					false, ex);
		}
	}

}
