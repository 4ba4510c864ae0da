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
	 * A replica whose link to its primary is up, to stream from without loading the
	 * primary.
	 * @param nodes an HA instance's nodes
	 * @return such a replica, empty when there is none
	 */
	Optional<RedisAdmin> replicaInSync(List<RedisAdmin> nodes);

}
