package io.github.redisonmesos.broker.backup;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.deployment.RedisAdmin;

/**
 * Where RDB snapshots come from: a Redis node streams one over the replication protocol
 * to a user that may do only that, so nothing is written on its volume.
 */
public interface RdbSource {

	/**
	 * Stream a snapshot of a node's data.
	 * @param node the node, reached as the instance's admin user (to create the
	 * short-lived backup user)
	 * @param out where the RDB's bytes go, in order
	 * @return the node's Redis version
	 * @throws io.github.redisonmesos.broker.deployment.RedisUnavailableException when the
	 * node cannot be reached or the stream is cut
	 */
	String stream(RedisAdmin node, OutputStream out);

	/**
	 * A replica to stream from without loading the primary: its link to the primary is
	 * up, it is neither loading nor resyncing, it follows the primary's replication
	 * history and it has applied everything the primary had when this was asked (waiting
	 * a bounded time for it to catch up).
	 * @param nodes an HA instance's nodes
	 * @return such a replica with the primary's position, empty when there is none
	 */
	Optional<Replica> replicaInSync(List<RedisAdmin> nodes);

	/**
	 * Stream a replica's snapshot, refusing one that does not hold the primary's position
	 * the replica was chosen at: a snapshot taken before acknowledged writes, or of
	 * another replication history, is an error, never a backup.
	 * @param replica the replica and the primary's position
	 * @param out where the RDB's bytes go, in order
	 * @return the node's Redis version
	 * @throws io.github.redisonmesos.broker.deployment.RedisUnavailableException when the
	 * node cannot be reached, the stream is cut or the snapshot is behind
	 */
	String stream(Replica replica, OutputStream out);

	/**
	 * A replica in sync and the primary's replication position when it was chosen.
	 *
	 * @param node the replica
	 * @param replicationId the primary's replication ID ({@code master_replid})
	 * @param offset the primary's {@code master_repl_offset}: every write acknowledged
	 * before the backup began is at or below it
	 */
	record Replica(RedisAdmin node, String replicationId, long offset) {

	}

}
