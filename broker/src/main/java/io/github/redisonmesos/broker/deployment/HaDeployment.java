package io.github.redisonmesos.broker.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the nodes of an HA instance run with, beyond what every Redis of the instance
 * shares ({@link RedisDeployment}): the Sentinels' settings, the internal users by hash
 * only, each node's ports and placement, and the Sentinels listed now, which a starting
 * node asks for the primary.
 *
 * @param masterName the name the Sentinels monitor the primary under
 * @param quorum Sentinels that must agree the primary is down
 * @param downAfter Sentinel {@code down-after-milliseconds}
 * @param failoverTimeout Sentinel {@code failover-timeout}
 * @param replicationUser the user replicas authenticate to the primary with
 * @param replicationPasswordSha256 SHA-256 (hex) of its password
 * @param sentinelUser the user Sentinels authenticate with
 * @param sentinelPasswordSha256 SHA-256 (hex) of its password
 * @param nodes each node's ports and placement, by index
 * @param listed the nodes Consul lists now (none before the first node runs)
 */
public record HaDeployment(String masterName, int quorum, Duration downAfter, Duration failoverTimeout,
		String replicationUser, String replicationPasswordSha256, String sentinelUser, String sentinelPasswordSha256,
		List<NodeSpec> nodes, List<HaNode> listed) implements Topology {

	public HaDeployment {
		nodes = List.copyOf(nodes);
		listed = List.copyOf(listed);
	}

	@Override
	public int nodeCount() {
		return this.nodes.size();
	}

	/**
	 * How many nodes a deploy starts now, from node-0 on: node-0 alone until a Sentinel
	 * is listed that the others can ask for the primary, then every node. The Marathon
	 * adapter and the tests' deployer both follow this one rule.
	 * @return 1 before a Sentinel is listed, the node count after
	 */
	public int nodesToStart() {
		return this.listed.isEmpty() ? 1 : this.nodes.size();
	}

	/**
	 * The Sentinels of the other nodes, as a starting node asks them.
	 * @param node the node's index
	 * @return the other listed nodes' Sentinels
	 */
	public List<RedisEndpoint> sentinelsBeside(int node) {
		return this.listed.stream().filter((other) -> other.index() != node).map(HaNode::sentinel).toList();
	}

	/**
	 * One node's ports and placement.
	 *
	 * @param redisPort its Redis's host port, 0 for any
	 * @param sentinelPort its Sentinel's host port, 0 for any
	 * @param placement the operator's Marathon constraint
	 * {@code [field, operator, value]} that puts it apart from the others (e.g.
	 * {@code zone CLUSTER a}), empty for none
	 * @param avoidHosts the agents the other nodes run on now, which this node must not
	 * start on (never two nodes on one agent); empty when no other node runs
	 */
	public record NodeSpec(int redisPort, int sentinelPort, List<String> placement, Set<String> avoidHosts) {

		public NodeSpec {
			placement = List.copyOf(placement);
			avoidHosts = Set.copyOf(avoidHosts);
		}

		/**
		 * A node that may start on any agent but for the operator's placement.
		 */
		public NodeSpec(int redisPort, int sentinelPort, List<String> placement) {
			this(redisPort, sentinelPort, placement, Set.of());
		}

	}

}
