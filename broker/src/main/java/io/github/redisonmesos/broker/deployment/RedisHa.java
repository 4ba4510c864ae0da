package io.github.redisonmesos.broker.deployment;

/**
 * What the broker does on an HA instance's nodes and Sentinels as their admin (Redis and
 * Sentinel behind it). An unreachable node surfaces as {@link RedisUnavailableException}
 * (503: retry).
 */
public interface RedisHa {

	/**
	 * Hand each node the internal passwords it has not got yet (a node on a fresh
	 * volume): to its Sentinel the Sentinel user's, to its Redis the replication user's,
	 * and to a replica the primary's users (ACL users are not replicated). Nodes that
	 * have them already are left as they are. Then every Sentinel gets the client users
	 * of the bindings the primary has, and loses those it has not: a Sentinel keeps the
	 * users of its own file, so one that was down while a binding was made or deleted
	 * differs until this runs.
	 * @param access the nodes and the secrets
	 */
	void handOver(HaAccess access);

	/**
	 * Where the instance stands.
	 * @param access the nodes and the secrets
	 * @return the primary, the replicas in sync and the Sentinels with a quorum
	 */
	HaState state(HaAccess access);

}
