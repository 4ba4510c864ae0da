package io.github.redisonmesos.broker.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The users of an HA instance's nodes and Sentinels brought into line
 * ({@code RedisHa#handOver}): the internal passwords a node on a fresh volume has not
 * got, the primary's bindings' users on every replica (ACL users are not replicated,
 * redis/redis#6738) and every Sentinel, and a replica made promotable once it has them. A
 * node or Sentinel that is right already is only read.
 */
final class HaUserSync {

	private final HaConnections connections;

	private final SentinelQuorum quorum;

	HaUserSync(HaConnections connections, SentinelQuorum quorum) {
		this.connections = connections;
		this.quorum = quorum;
	}

	void handOver(HaAccess access) {
		Optional<RedisEndpoint> primary = this.quorum.namedPrimary(access);
		// the bindings' users as the primary has them; none when no primary is named
		Optional<Map<String, List<String>>> users = primary.map((endpoint) -> bindingUsers(access,
				this.connections.run(endpoint, access, "read the primary's users", Jedis::aclList)));
		for (HaNode node : access.nodes()) {
			boolean isPrimary = primary.isPresent() && primary.get().equals(node.redis());
			this.connections.run(node.redis(), access, "converge node-" + node.index(), (redis) -> {
				boolean fresh = redis.configGet("masterauth").getOrDefault("masterauth", "").isEmpty();
				if (fresh) {
					// Sentinel first: a Redis with masterauth marks a node that has both
					this.connections.run(node.sentinel(), access,
							"hand over the Sentinel password to node-" + node.index(), (sentinel) -> {
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

	// a Sentinel keeps the client users of its own file: one that was down while a
	// binding was made or deleted gets the primary's bindings' users (by their hashes);
	// a Sentinel that has them already is not written to
	private void sameSentinelUsers(HaAccess access, Map<String, List<String>> bindings) {
		Map<String, List<String>> hashes = new HashMap<>();
		bindings.forEach((user, rules) -> hashes.put(user, passwordHashes(rules)));
		for (HaNode node : access.nodes()) {
			this.connections.run(node.sentinel(), access,
					"copy the bindings' users to node-" + node.index() + "'s Sentinel", (sentinel) -> {
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
	private static void sameUsers(HaAccess access, Map<String, List<String>> bindings, Jedis replica) {
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

}
