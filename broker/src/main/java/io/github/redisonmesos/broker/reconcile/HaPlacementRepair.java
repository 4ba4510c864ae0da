package io.github.redisonmesos.broker.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.instance.HaWatch;
import io.github.redisonmesos.broker.instance.InstanceDeployments;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the nodes of each HA instance on agents of their own, every
 * {@code broker.reconcile.ha-interval}. Each node's app keeps off the agents the others
 * ran on when it was rendered; after a move that constraint is stale. Of a whole instance
 * with nothing deploying, at most one node is redeployed per check, with a constraint
 * that keeps it off where the others run now (Marathon restarts it elsewhere): first a
 * node that shares an agent with another (the one that is not the primary, the newest of
 * two replicas), then a replica whose constraint misses an agent another node runs on
 * now, so that a replacement after its agent's loss lands apart. The primary is never
 * restarted for its placement: it gets a current constraint when it next restarts as a
 * replica (after a failover or in a rolling update). Safe on every broker at once: a
 * redeploy of the same definition changes nothing.
 */
@Component
class HaPlacementRepair {

	private static final Logger logger = LoggerFactory.getLogger(HaPlacementRepair.class);

	private final InstanceRecords instances;

	private final HaWatch watch;

	private final RedisDeployer deployer;

	private final InstanceDeployments deployments;

	HaPlacementRepair(InstanceRecords instances, HaWatch watch, RedisDeployer deployer,
			InstanceDeployments deployments) {
		this.instances = instances;
		this.watch = watch;
		this.deployer = deployer;
		this.deployments = deployments;
	}

	@Scheduled(initialDelayString = "${broker.reconcile.ha-interval:10s}",
			fixedDelayString = "${broker.reconcile.ha-interval:10s}")
	void scheduled() {
		try {
			repair(this.instances.all(), this.watch.last());
		}
		catch (RuntimeException ex) {
			logger.warn("event=ha_placement_check_failed reason=\"{}\"", ex.getMessage());
		}
	}

	/**
	 * Move at most one node of each HA instance that needs it.
	 * @param records every instance record
	 * @param states each HA instance's state at the last check, by instance id
	 * @return the moves made
	 */
	List<Move> repair(List<Versioned<InstanceRecord>> records, Map<String, HaState> states) {
		List<Move> moves = new ArrayList<>();
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			HaState state = states.get(record.instanceId());
			if (record.ha() == null || record.removed() || !record.ready() || record.operation().inProgress()
					|| state == null) {
				continue;
			}
			Optional<Move> move = choose(this.deployer.nodePlacements(record.instanceId(), record.nodes()), state);
			if (move.isPresent()) {
				logger.info("event=ha_placement_repair instance_id={} node={} reason=\"{}\"", record.instanceId(),
						move.get().node(), move.get().reason());
				this.deployer.redeployNode(this.deployments.of(record), move.get().node());
				moves.add(move.get());
			}
		}
		return moves;
	}

	/**
	 * Which node of an instance to redeploy for its placement, if any.
	 * @param placements each node's placement by index
	 * @param state the instance's state
	 * @return the node and why, empty when the instance is not whole, a node app is
	 * missing or deploying, or every node is apart with a current constraint (the
	 * primary's aside)
	 */
	static Optional<Move> choose(List<Optional<NodePlacement>> placements, HaState state) {
		if (!state.whole() || placements.stream()
			.anyMatch((placement) -> placement.isEmpty() || placement.get().deploying() || !placement.get().placed())) {
			return Optional.empty();
		}
		Map<Integer, HaRole> roles = state.roles();
		for (int node = 0; node < placements.size(); node++) {
			for (int other = node + 1; other < placements.size(); other++) {
				Set<String> shared = new TreeSet<>(placements.get(node).get().hosts());
				shared.retainAll(placements.get(other).get().hosts());
				if (!shared.isEmpty()) {
					int move = moved(node, other, placements, roles);
					return Optional.of(new Move(move, "shares agent " + String.join(", ", shared) + " with node-"
							+ ((move == node) ? other : node)));
				}
			}
		}
		for (int node = 0; node < placements.size(); node++) {
			if (roles.get(node) != HaRole.REPLICA) {
				continue;
			}
			Set<String> missed = new TreeSet<>(InstanceDeployments.othersHosts(placements, node));
			missed.removeAll(placements.get(node).get().avoidedHosts());
			if (!missed.isEmpty()) {
				return Optional.of(new Move(node, "its constraint does not keep it off " + String.join(", ", missed)
						+ ", where another node runs now"));
			}
		}
		return Optional.empty();
	}

	// of two nodes on one agent: never the primary; of two replicas, the newer task
	private static int moved(int node, int other, List<Optional<NodePlacement>> placements,
			Map<Integer, HaRole> roles) {
		if (roles.get(node) == HaRole.PRIMARY) {
			return other;
		}
		if (roles.get(other) == HaRole.PRIMARY) {
			return node;
		}
		return placements.get(other).get().since().isAfter(placements.get(node).get().since()) ? other : node;
	}

	/**
	 * A node to redeploy for its placement.
	 *
	 * @param node its index
	 * @param reason why, for the log
	 */
	record Move(int node, String reason) {

	}

}
