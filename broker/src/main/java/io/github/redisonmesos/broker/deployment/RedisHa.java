package io.github.redisonmesos.broker.deployment;

import java.time.Duration;

/**
 * What the broker does on an HA instance's nodes and Sentinels as their admin (Redis and
 * Sentinel behind it). An unreachable node surfaces as {@link RedisUnavailableException}
 * (503: retry).
 */
public interface RedisHa {

	/**
	 * Converge the nodes: hand each node the internal passwords it has not got yet (a
	 * node on a fresh volume): to its Sentinel the Sentinel user's, to its Redis the
	 * replication user's; give every replica the primary's bindings' users and take away
	 * those the primary has not (ACL users are not replicated), then let Sentinel promote
	 * it ({@code replica-priority} 100). Then every Sentinel gets the client users of the
	 * bindings the primary has, and loses those it has not: a Sentinel keeps the users of
	 * its own file, so one that was down while a binding was made or deleted differs
	 * until this runs. A node that is right already is only read, so this runs every few
	 * seconds.
	 * @param access the nodes and the secrets
	 */
	void handOver(HaAccess access);

	/**
	 * Switch over without losing an acknowledged write: pause writes on the primary the
	 * Sentinels name ({@code CLIENT PAUSE <pause> WRITE} as the admin user), let its
	 * replicas reach its offset, then ask a Sentinel to promote one of them now
	 * ({@code SENTINEL FAILOVER <master-name>}). A write sent to the old primary
	 * meanwhile waits and is then refused (it is a replica by then) or taken without a
	 * replica to acknowledge it, so no write a client saw acknowledged ({@code WAIT 1})
	 * is lost with the old primary's stream. Returns once a Sentinel has started the
	 * failover (or one runs already); the new primary is seen in {@link #state(HaAccess)}
	 * a moment later.
	 * @param access the nodes and the secrets
	 * @param pause how long the old primary holds writes back: the time the Sentinels
	 * take to fail over (their failover timeout)
	 * @throws RedisUnavailableException when no primary is named, no Sentinel answers or
	 * none can fail over now (no replica fit to be promoted): retry later
	 */
	void switchOver(HaAccess access, Duration pause);

	/**
	 * Where the instance stands, with the nodes Consul lists as all its nodes.
	 * @param access the nodes and the secrets
	 * @return the primary, the replicas in sync, the Sentinels with a quorum and each
	 * node's role
	 */
	default HaState state(HaAccess access) {
		return state(access, access.nodes().size());
	}

	/**
	 * Where the instance stands.
	 * @param access the nodes Consul lists and the secrets
	 * @param nodes the nodes the instance has (those not listed are
	 * {@link HaRole#MISSING})
	 * @return the primary, the replicas in sync, the Sentinels with a quorum and each
	 * node's role
	 */
	HaState state(HaAccess access, int nodes);

}
