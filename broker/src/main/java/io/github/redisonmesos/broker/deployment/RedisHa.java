package io.github.redisonmesos.broker.deployment;

import java.time.Duration;
import java.util.List;

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
	 * Make the Sentinels forget the addresses of nodes gone: a Sentinel never forgets a
	 * replica or Sentinel it once knew, so a node that came back on another port or agent
	 * stays listed, down, at its old address. Each Sentinel that lists a replica or a
	 * Sentinel at no node's address, down, gets {@code SENTINEL RESET <master-name>}, one
	 * at a time: the next only once the reset one names the primary and lists the live
	 * replicas and the other Sentinels again (a bounded wait), and only while the others
	 * do, so a failover meanwhile finds a quorum. Call it only when the instance is whole
	 * ({@link HaState#whole()}): a node that is merely away is not gone. A Sentinel that
	 * lists nothing gone is only read.
	 * @param access the nodes Consul lists now, and the secrets
	 * @return the gone addresses cleared, empty when no Sentinel listed one (or no
	 * primary is named)
	 * @throws RedisUnavailableException when a Sentinel does not answer or does not list
	 * every live node again in time: the next check tries again
	 */
	List<RedisEndpoint> clearGoneAddresses(HaAccess access);

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
