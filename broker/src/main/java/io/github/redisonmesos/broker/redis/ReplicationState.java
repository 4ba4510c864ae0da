package io.github.redisonmesos.broker.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where an HA instance stands: the primary the Sentinels name, its replicas in sync, the
 * Sentinels with a quorum and each node's role, read from {@code INFO replication}.
 */
final class ReplicationState {

	// INFO replication's line of a replica:
	// slave0:ip=...,port=...,state=online,offset=...,lag=0
	private static final Pattern REPLICA = Pattern.compile("slave\\d+:.*state=(\\w+),offset=\\d+,lag=(\\d+)");

	private static final Pattern MASTER_OFFSET = Pattern.compile("master_repl_offset:(\\d+)");

	private static final Pattern REPLICA_OFFSET = Pattern.compile("slave\\d+:.*offset=(\\d+)");

	private static final Pattern CONNECTED_REPLICAS = Pattern.compile("connected_slaves:(\\d+)");

	private final HaConnections connections;

	private final SentinelQuorum quorum;

	ReplicationState(HaConnections connections, SentinelQuorum quorum) {
		this.connections = connections;
		this.quorum = quorum;
	}

	HaState state(HaAccess access, int nodes) {
		SentinelQuorum.Agreement agreement = this.quorum.ask(access);
		Optional<RedisEndpoint> primary = agreement.primary();
		Map<Integer, HaRole> roles = new HashMap<>();
		for (int index = 0; index < nodes; index++) {
			roles.put(index, HaRole.MISSING);
		}
		// the named primary's INFO replication, when it is a listed node that answered
		String primaryInfo = null;
		for (HaNode node : access.nodes()) {
			try (Jedis redis = this.connections.connect(node.redis(), access)) {
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
		return new HaState(primary, inSync, agreement.withQuorum(), nodes, roles);
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

	// the replicas INFO replication says are connected to this primary
	static int connectedReplicas(String info) {
		Matcher connected = CONNECTED_REPLICAS.matcher(info);
		return connected.find() ? Integer.parseInt(connected.group(1)) : 0;
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
		try (Jedis redis = this.connections.connect(primary, access)) {
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

}
