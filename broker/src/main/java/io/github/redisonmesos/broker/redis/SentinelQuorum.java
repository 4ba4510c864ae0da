package io.github.redisonmesos.broker.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the Sentinels agree on: the primary a majority of the listed Sentinels name, and
 * how many of them have a quorum ({@code SENTINEL CKQUORUM}). A Sentinel away counts for
 * nothing.
 */
final class SentinelQuorum {

	private final HaConnections connections;

	SentinelQuorum(HaConnections connections) {
		this.connections = connections;
	}

	/**
	 * The primary as a majority of the listed Sentinels name it.
	 * @param access the nodes and the secrets
	 * @return the primary, empty when no majority names one
	 */
	Optional<RedisEndpoint> namedPrimary(HaAccess access) {
		Map<RedisEndpoint, Integer> votes = new HashMap<>();
		for (HaNode node : access.nodes()) {
			try (Jedis sentinel = this.connections.connect(node.sentinel(), access)) {
				vote(sentinel, access, votes);
			}
			catch (JedisException ex) {
				// a Sentinel away counts for nothing
			}
		}
		return majority(votes, access);
	}

	/**
	 * The primary and the Sentinels with a quorum, one connection per Sentinel for both
	 * questions.
	 * @param access the nodes and the secrets
	 * @return what the Sentinels agree on
	 */
	Agreement ask(HaAccess access) {
		Map<RedisEndpoint, Integer> votes = new HashMap<>();
		int withQuorum = 0;
		for (HaNode node : access.nodes()) {
			try (Jedis sentinel = this.connections.connect(node.sentinel(), access)) {
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
		return new Agreement(majority(votes, access), withQuorum);
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

	/**
	 * What the Sentinels agree on.
	 *
	 * @param primary the primary a majority names, empty for none
	 * @param withQuorum the Sentinels that answered {@code CKQUORUM} with OK
	 */
	record Agreement(Optional<RedisEndpoint> primary, int withQuorum) {

	}

}
