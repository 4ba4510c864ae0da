package io.github.redisonmesos.broker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.stereotype.Component;

/**
 * {@link RedisHa} over the nodes' Redis and Sentinels, as their admin user
 * (docs/HA-NODE.md, "What the broker does"). A connection per call and node: the broker
 * does this at provision and after a node comes back, not per request.
 */
@Component
class RedisHaAdmin implements RedisHa {

	// INFO replication's line of a replica:
	// slave0:ip=...,port=...,state=online,offset=...,lag=0
	private static final Pattern REPLICA = Pattern.compile("slave\\d+:.*state=(\\w+),offset=\\d+,lag=(\\d+)");

	private static final Pattern MASTER_OFFSET = Pattern.compile("master_repl_offset:(\\d+)");

	private static final Pattern REPLICA_OFFSET = Pattern.compile("slave\\d+:.*offset=(\\d+)");

	// how long a switch-over waits for the replicas to reach the paused primary's offset
	private static final Duration CAUGHT_UP_BOUND = Duration.ofSeconds(2);

	// how long a reset Sentinel may take to list every live node again: the replicas come
	// at once from the primary's INFO, the Sentinels with their hello messages (every 2
	// s)
	private static final Duration RELIST_BOUND = Duration.ofSeconds(15);

	private final int timeoutMillis;

	RedisHaAdmin(RedisProperties properties) {
		this.timeoutMillis = (int) properties.timeout().toMillis();
	}

	@Override
	public void handOver(HaAccess access) {
		Optional<RedisEndpoint> primary = namedPrimary(access);
		// the bindings' users as the primary has them; none when no primary is named
		Optional<Map<String, List<String>>> users = primary
			.map((endpoint) -> bindingUsers(access, run(endpoint, access, "read the primary's users", Jedis::aclList)));
		for (HaNode node : access.nodes()) {
			boolean isPrimary = primary.isPresent() && primary.get().equals(node.redis());
			run(node.redis(), access, "converge node-" + node.index(), (redis) -> {
				boolean fresh = redis.configGet("masterauth").getOrDefault("masterauth", "").isEmpty();
				if (fresh) {
					// Sentinel first: a Redis with masterauth marks a node that has both
					run(node.sentinel(), access, "hand over the Sentinel password to node-" + node.index(),
							(sentinel) -> {
								sentinel.sentinelSet(access.masterName(),
										Map.of("auth-pass", access.sentinelPassword()));
								sentinel.sendCommand(Protocol.Command.SENTINEL, "CONFIG", "SET", "sentinel-pass",
										access.sentinelPassword());
								return null;
							});
					redis.configSet("masterauth", access.replicationPassword());
				}
				if (!isPrimary && users.isPresent()) {
					sameUsers(access, users.get(), redis);
				}
				// promotable once its users are the primary's (or it is the primary)
				boolean promotable = isPrimary || users.isPresent() || (fresh && primary.isEmpty());
				boolean unpromotable = "0".equals(redis.configGet("replica-priority").get("replica-priority"));
				if (promotable && unpromotable) {
					redis.configSet("replica-priority", "100");
				}
				if (fresh || (promotable && unpromotable)) {
					redis.configRewrite();
				}
				return null;
			});
		}
		users.ifPresent((bindings) -> sameSentinelUsers(access, bindings));
	}

	@Override
	public List<RedisEndpoint> clearGoneAddresses(HaAccess access) {
		return namedPrimary(access)
			.map((primary) -> new SentinelReset(access, primary, (endpoint) -> connect(endpoint, access), RELIST_BOUND)
				.run())
			.orElse(List.of());
	}

	@Override
	public void switchOver(HaAccess access, Duration pause) {
		RedisEndpoint primary = namedPrimary(access).orElseThrow(
				() -> new RedisUnavailableException(
						"no primary of " + access.masterName()
								+ " is named to switch over from; the broker asks again on " + "the next poll.",
						false, null));
		// the old primary's last writes reach every replica before one is promoted, and
		// none after: the other replica never acknowledges a write the new primary has
		// not
		run(primary, access, "pause writes on the primary before a switch-over", (redis) -> {
			redis.sendCommand(Protocol.Command.CLIENT, "PAUSE", Long.toString(pause.toMillis()), "WRITE");
			long until = System.nanoTime() + CAUGHT_UP_BOUND.toNanos();
			while (!caughtUp(redis.info("replication")) && System.nanoTime() < until) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
			return null;
		});
		try {
			failover(access);
		}
		catch (RedisUnavailableException ex) {
			// no failover: the primary takes writes again at once
			unpause(primary, access);
			throw ex;
		}
		// once no replica streams from the old primary, nothing it takes can be
		// acknowledged: it need not hold writes back any longer (a bounded wait; the
		// pause
		// ends by itself otherwise)
		run(primary, access, "see the replicas leave the old primary", (redis) -> {
			long until = System.nanoTime() + pause.toNanos();
			while (!redis.info("replication").contains("connected_slaves:0") && System.nanoTime() < until) {
				LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			}
			return null;
		});
		unpause(primary, access);
	}

	private void unpause(RedisEndpoint primary, HaAccess access) {
		run(primary, access, "resume writes on the primary",
				(redis) -> redis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE"));
	}

	// every replica of INFO replication at the primary's offset
	static boolean caughtUp(String info) {
		Matcher offset = MASTER_OFFSET.matcher(info);
		if (!offset.find()) {
			return false;
		}
		Matcher replica = REPLICA_OFFSET.matcher(info);
		boolean any = false;
		while (replica.find()) {
			any = true;
			if (!replica.group(1).equals(offset.group(1))) {
				return false;
			}
		}
		return any;
	}

	private void failover(HaAccess access) {
		JedisException last = null;
		for (HaNode node : access.nodes()) {
			try (Jedis sentinel = connect(node.sentinel(), access)) {
				sentinel.sendCommand(Protocol.Command.SENTINEL, "FAILOVER", access.masterName());
				return;
			}
			catch (JedisDataException ex) {
				if (String.valueOf(ex.getMessage()).startsWith("INPROG")) {
					// another poll or broker asked already: that failover goes on
					return;
				}
				// NOGOODSLAVE and the like: no replica fit to be promoted now
				throw new RedisUnavailableException("the Sentinel of node-" + node.index() + " cannot switch over now ("
						+ ex.getMessage() + "); the broker asks again on the next poll.", false, ex);
			}
			catch (JedisException ex) {
				// this Sentinel is away: ask the next one
				last = ex;
			}
		}
		throw new RedisUnavailableException("no Sentinel of " + access.masterName() + " answered a switch-over ("
				+ ((last != null) ? last.getMessage() : "none listed") + "); the broker asks again on the next poll.",
				false, last);
	}

	// the primary as a majority of the listed Sentinels name it
	private Optional<RedisEndpoint> namedPrimary(HaAccess access) {
		Map<RedisEndpoint, Integer> votes = new HashMap<>();
		for (HaNode node : access.nodes()) {
			try (Jedis sentinel = connect(node.sentinel(), access)) {
				vote(sentinel, access, votes);
			}
			catch (JedisException ex) {
				// a Sentinel away counts for nothing
			}
		}
		return majority(votes, access);
	}

	// what one Sentinel names the primary, counted in the votes
	private static void vote(Jedis sentinel, HaAccess access, Map<RedisEndpoint, Integer> votes) {
		List<String> named = sentinel.sentinelGetMasterAddrByName(access.masterName());
		if (named != null && named.size() == 2) {
			votes.merge(new RedisEndpoint(named.get(0), Integer.parseInt(named.get(1))), 1, Integer::sum);
		}
	}

	private static Optional<RedisEndpoint> majority(Map<RedisEndpoint, Integer> votes, HaAccess access) {
		return votes.entrySet()
			.stream()
			.filter((vote) -> vote.getValue() > access.nodes().size() / 2)
			.map(Map.Entry::getKey)
			.findFirst();
	}

	// a Sentinel keeps the client users of its own file: one that was down while a
	// binding was made or deleted gets the primary's bindings' users (by their hashes);
	// a Sentinel that has them already is not written to
	private void sameSentinelUsers(HaAccess access, Map<String, List<String>> bindings) {
		Map<String, List<String>> hashes = new HashMap<>();
		bindings.forEach((user, rules) -> hashes.put(user, passwordHashes(rules)));
		for (HaNode node : access.nodes()) {
			run(node.sentinel(), access, "copy the bindings' users to node-" + node.index() + "'s Sentinel",
					(sentinel) -> {
						Map<String, List<String>> present = new HashMap<>();
						bindingUsers(access, sentinel.aclList())
							.forEach((user, rules) -> present.put(user, passwordHashes(rules)));
						if (present.equals(hashes)) {
							return null;
						}
						for (String stale : present.keySet()) {
							if (!hashes.containsKey(stale)) {
								sentinel.aclDelUser(stale);
							}
						}
						hashes.forEach((user, userHashes) -> {
							if (!userHashes.equals(present.get(user))) {
								List<String> client = new ArrayList<>(List.of("reset", "on"));
								client.addAll(userHashes);
								client.addAll(RedisAcl.SENTINEL_CLIENT_RULES);
								sentinel.aclSetUser(user, client.toArray(String[]::new));
							}
						});
						RedisAcl.flushConfig(sentinel);
						return null;
					});
		}
	}

	private static List<String> passwordHashes(List<String> rules) {
		return rules.stream().filter((rule) -> rule.startsWith("#")).sorted().toList();
	}

	// ACL users are not replicated (redis/redis#6738): a replica gets the primary's
	// bindings' users, by their hashes, and loses those the primary has not, before it
	// can be promoted; a replica that has them already is not written to
	private void sameUsers(HaAccess access, Map<String, List<String>> bindings, Jedis replica) {
		Map<String, List<String>> present = bindingUsers(access, replica.aclList());
		if (present.equals(bindings)) {
			return;
		}
		for (String stale : present.keySet()) {
			if (!bindings.containsKey(stale)) {
				// closes the user's connections too
				replica.aclDelUser(stale);
			}
		}
		bindings.forEach((user, rules) -> {
			if (!rules.equals(present.get(user))) {
				List<String> reset = new ArrayList<>(List.of("reset"));
				reset.addAll(rules);
				replica.aclSetUser(user, reset.toArray(String[]::new));
			}
		});
		replica.aclSave();
	}

	/** The users of {@code ACL LIST} but the internal ones, with their rules. */
	private static Map<String, List<String>> bindingUsers(HaAccess access, List<String> aclList) {
		// a backup's short-lived user streams from a replica only: it is not the
		// primary's
		Set<String> internal = Set.of("default", access.admin(), access.replicationUser(), access.sentinelUser(),
				ReplicationRdbSource.USER);
		Map<String, List<String>> users = new LinkedHashMap<>();
		for (String line : aclList) {
			List<String> words = Arrays.asList(line.split(" "));
			if (words.size() > 2 && words.get(0).equals("user") && !internal.contains(words.get(1))) {
				users.put(words.get(1), words.subList(2, words.size()));
			}
		}
		return users;
	}

	@Override
	public HaState state(HaAccess access, int nodes) {
		// one connection per Sentinel for both questions, one per node for its role
		Map<RedisEndpoint, Integer> votes = new HashMap<>();
		int withQuorum = 0;
		for (HaNode node : access.nodes()) {
			try (Jedis sentinel = connect(node.sentinel(), access)) {
				vote(sentinel, access, votes);
				Object quorum = sentinel.sendCommand(Protocol.Command.SENTINEL, "CKQUORUM", access.masterName());
				if (new String((byte[]) quorum, StandardCharsets.UTF_8).startsWith("OK")) {
					withQuorum++;
				}
			}
			catch (JedisException ex) {
				// a Sentinel away or without a quorum counts for nothing
			}
		}
		Optional<RedisEndpoint> primary = majority(votes, access);
		Map<Integer, HaRole> roles = new HashMap<>();
		for (int index = 0; index < nodes; index++) {
			roles.put(index, HaRole.MISSING);
		}
		// the named primary's INFO replication, when it is a listed node that answered
		String primaryInfo = null;
		for (HaNode node : access.nodes()) {
			try (Jedis redis = connect(node.redis(), access)) {
				String info = redis.info("replication");
				roles.put(node.index(), role(redis, info));
				if (primary.isPresent() && primary.get().equals(node.redis())) {
					primaryInfo = info;
				}
			}
			catch (JedisException ex) {
				roles.put(node.index(), HaRole.UNREACHABLE);
			}
		}
		int inSync = 0;
		if (primaryInfo != null) {
			inSync = replicasInSync(primaryInfo);
		}
		else if (primary.isPresent()) {
			inSync = replicasInSync(primary.get(), access);
		}
		return new HaState(primary, inSync, withQuorum, nodes, roles);
	}

	private static HaRole role(Jedis redis, String info) {
		if (info.contains("role:master")) {
			return HaRole.PRIMARY;
		}
		if (!info.contains("master_link_status:up")) {
			return HaRole.SYNCING;
		}
		return "0".equals(redis.configGet("replica-priority").get("replica-priority")) ? HaRole.UNPROMOTABLE
				: HaRole.REPLICA;
	}

	private int replicasInSync(RedisEndpoint primary, HaAccess access) {
		try (Jedis redis = connect(primary, access)) {
			return replicasInSync(redis.info("replication"));
		}
		catch (JedisException ex) {
			return 0;
		}
	}

	// replicas streaming from the primary, within a second of it
	private static int replicasInSync(String info) {
		if (!info.contains("role:master")) {
			return 0;
		}
		int inSync = 0;
		Matcher replica = REPLICA.matcher(info);
		while (replica.find()) {
			if (replica.group(1).equals("online") && Long.parseLong(replica.group(2)) <= 1) {
				inSync++;
			}
		}
		return inSync;
	}

	private Jedis connect(RedisEndpoint endpoint, HaAccess access) {
		return new Jedis(new HostAndPort(endpoint.host(), endpoint.port()),
				DefaultJedisClientConfig.builder()
					.user(access.admin())
					.password(access.adminPassword())
					.connectionTimeoutMillis(this.timeoutMillis)
					.socketTimeoutMillis(this.timeoutMillis)
					.clientName("osb-broker")
					.build());
	}

	private <T> T run(RedisEndpoint endpoint, HaAccess access, String what, Function<Jedis, T> commands) {
		try (Jedis jedis = connect(endpoint, access)) {
			return commands.apply(jedis);
		}
		catch (JedisException ex) {
			throw new RedisUnavailableException("Redis at " + endpoint + " did not answer (" + ex.getMessage()
					+ ") while the broker tried to " + what + "; it may be moving: retry in a minute.", true, ex);
		}
	}

}
