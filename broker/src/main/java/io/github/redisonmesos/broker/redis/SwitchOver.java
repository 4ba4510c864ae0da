package io.github.redisonmesos.broker.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A switch-over that loses no acknowledged write: writes paused on the primary, its
 * replicas caught up, then a Sentinel asked to fail over ({@code RedisHa#switchOver}).
 */
final class SwitchOver {

	// how long a switch-over waits for the replicas to reach the paused primary's offset
	private static final Duration CAUGHT_UP_BOUND = Duration.ofSeconds(2);

	private final HaConnections connections;

	private final SentinelQuorum quorum;

	SwitchOver(HaConnections connections, SentinelQuorum quorum) {
		this.connections = connections;
		this.quorum = quorum;
	}

	void run(HaAccess access, Duration pause) {
		RedisEndpoint primary = this.quorum.namedPrimary(access)
			.orElseThrow(
					() -> new RedisUnavailableException(
							"no primary of " + access.masterName()
									+ " is named to switch over from; the broker asks again on the next poll.",
							false, null));
		// a Sentinel reconfigures only the replicas it knows: one that has not learnt a
		// replica yet (from the primary's INFO, every 10 s) would leave it replicating
		// from the old primary, a chain the Sentinels never mend
		int replicas = this.connections.run(primary, access, "count the primary's replicas",
				(redis) -> ReplicationState.connectedReplicas(redis.info("replication")));
		HaNode sentinel = knowingAll(access, replicas);
		// the old primary's last writes reach every replica before one is promoted, and
		// none after: the other replica never acknowledges a write the new primary has
		// not
		this.connections.run(primary, access, "pause writes on the primary before a switch-over", (redis) -> {
			redis.sendCommand(Protocol.Command.CLIENT, "PAUSE", Long.toString(pause.toMillis()), "WRITE");
			long until = System.nanoTime() + CAUGHT_UP_BOUND.toNanos();
			while (!ReplicationState.caughtUp(redis.info("replication")) && System.nanoTime() < until) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
			return null;
		});
		try {
			failover(access, sentinel);
		}
		catch (RedisUnavailableException ex) {
			// no failover: the primary takes writes again at once
			unpause(primary, access);
			throw ex;
		}
		// once no replica streams from the old primary, nothing it takes can be
		// acknowledged: it need not hold writes back any longer (a bounded wait; the
		// pause ends by itself otherwise)
		this.connections.run(primary, access, "see the replicas leave the old primary", (redis) -> {
			long until = System.nanoTime() + pause.toNanos();
			while (ReplicationState.connectedReplicas(redis.info("replication")) > 0 && System.nanoTime() < until) {
				LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			}
			return null;
		});
		unpause(primary, access);
	}

	private void unpause(RedisEndpoint primary, HaAccess access) {
		this.connections.run(primary, access, "resume writes on the primary",
				(redis) -> redis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE"));
	}

	// the first Sentinel that lists every replica the primary has, up
	private HaNode knowingAll(HaAccess access, int replicas) {
		JedisException last = null;
		for (HaNode node : access.nodes()) {
			try (Jedis sentinel = this.connections.connect(node.sentinel(), access)) {
				if (SentinelReset.up(sentinel.sentinelReplicas(access.masterName())).size() >= replicas) {
					return node;
				}
			}
			catch (JedisException ex) {
				// this Sentinel is away: ask the next one
				last = ex;
			}
		}
		throw new RedisUnavailableException("no Sentinel of " + access.masterName() + " lists the primary's " + replicas
				+ " replicas yet" + ((last != null) ? " (" + last.getMessage() + ")" : "")
				+ "; the broker asks again on the next poll.", false, last);
	}

	private void failover(HaAccess access, HaNode node) {
		try (Jedis sentinel = this.connections.connect(node.sentinel(), access)) {
			sentinel.sendCommand(Protocol.Command.SENTINEL, "FAILOVER", access.masterName());
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
			throw new RedisUnavailableException(
					"the Sentinel of node-" + node.index() + " did not answer a switch-over (" + ex.getMessage()
							+ "); the broker asks again on the next poll.",
					false, ex);
		}
	}

}
