package io.github.redisonmesos.broker.instance.ha;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.instance.InstanceDeployments;

/**
 * Which node of an HA instance to redeploy so that no two share an agent and a replica's
 * replacement would land apart: first a node that shares an agent with another (never the
 * primary; of two replicas the newer task), then a replica whose constraint misses an
 * agent another node runs on now. The primary is never chosen for its placement: it gets
 * a current constraint when it next restarts as a replica. Nothing while the instance is
 * not whole or a node app is missing, deploying or waiting for an agent.
 */
public final class HaPlacementChoice {

	private HaPlacementChoice() {
	}

	/**
	 * Which node of an instance to redeploy for its placement, if any.
	 * @param placements each node's placement by index
	 * @param state the instance's state
	 * @return the node and why, empty when the instance is not whole, a node app is
	 * missing or deploying, or every node is apart with a current constraint (the
	 * primary's aside)
	 */
	public static Optional<Move> choose(List<Optional<NodePlacement>> placements, HaState state) {
		if (!state.whole() || settling(placements)) {
			return Optional.empty();
		}
		Map<Integer, HaRole> roles = state.roles();
		for (int node = 0; node < placements.size(); node++) {
			for (int other = node + 1; other < placements.size(); other++) {
				Set<String> shared = new TreeSet<>(placements.get(node).get().hosts());
				shared.retainAll(placements.get(other).get().hosts());
				if (!shared.isEmpty()) {
					int move = moved(node, other, placements, roles);
					return Optional.of(new Move(move, true, "shares agent " + String.join(", ", shared) + " with node-"
							+ ((move == node) ? other : node)));
				}
			}
		}
		for (int node = 0; node < placements.size(); node++) {
			if (roles.get(node) != HaRole.REPLICA) {
				continue;
			}
			Set<String> missed = missed(placements, node);
			if (!missed.isEmpty()) {
				return Optional.of(new Move(node, false, "its constraint does not keep it off "
						+ String.join(", ", missed) + ", where another node runs now"));
			}
		}
		return Optional.empty();
	}

	/**
	 * What still keeps a provision from handing the instance over, once {@link #choose}
	 * moves nothing and the primary has a constraint: a node app still settling, or a
	 * node other than the primary whose constraint misses an agent another node runs on
	 * (a replica {@link #choose} does not move yet because its role reads otherwise for a
	 * moment: the old primary right after a switch-over, still syncing). The primary
	 * needs no current constraint: it gets one when it next restarts as a replica.
	 * @param placements each node's placement by index
	 * @param state the instance's state
	 * @return what it waits for, empty when the placement is final
	 */
	public static Optional<String> unsettled(List<Optional<NodePlacement>> placements, HaState state) {
		if (settling(placements)) {
			return Optional.of("waiting for Marathon to settle the node apps");
		}
		List<Integer> primaries = state.inRole(HaRole.PRIMARY);
		for (int node = 0; node < placements.size(); node++) {
			if (primaries.contains(node)) {
				continue;
			}
			Set<String> missed = missed(placements, node);
			if (!missed.isEmpty()) {
				return Optional.of("node-" + node + " (" + state.roles().get(node).toString().toLowerCase(Locale.ROOT)
						+ ") does not keep off " + String.join(", ", missed) + " yet");
			}
		}
		return Optional.empty();
	}

	// the agents other nodes run on now that the node's constraint does not keep it off
	private static Set<String> missed(List<Optional<NodePlacement>> placements, int node) {
		Set<String> missed = new TreeSet<>(InstanceDeployments.othersHosts(placements, node));
		missed.removeAll(placements.get(node).get().avoidedHosts());
		return missed;
	}

	/**
	 * Whether a node app is missing, being deployed or waiting for an agent: nothing is
	 * chosen until it is not.
	 * @param placements each node's placement by index
	 * @return true while the nodes are settling
	 */
	public static boolean settling(List<Optional<NodePlacement>> placements) {
		return placements.stream()
			.anyMatch((placement) -> placement.isEmpty() || placement.get().deploying() || !placement.get().placed());
	}

	/**
	 * What a node that has no agent waits for, as {@code last_operation} says it:
	 * Marathon keeps it in its launch queue until an agent that no other node runs on
	 * offers, so with fewer agents than nodes the instance runs with the nodes it has.
	 * @param placements each node's placement by index
	 * @return the sentence, empty when every deployed node has an agent
	 */
	public static Optional<String> waitingForAgent(List<Optional<NodePlacement>> placements) {
		for (int node = 0; node < placements.size(); node++) {
			Optional<NodePlacement> placement = placements.get(node);
			if (placement.isPresent() && !placement.get().placed()) {
				Set<String> avoided = placement.get().avoidedHosts();
				return Optional.of("node-" + node + " waits for an agent no other node runs on"
						+ (avoided.isEmpty() ? "" : " (Marathon keeps it in its launch queue, off "
								+ String.join(", ", new TreeSet<>(avoided)) + ")"));
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
	 * @param shared true when it shares an agent with another node, false when only its
	 * constraint is stale
	 * @param reason why, for logs and {@code last_operation}
	 */
	public record Move(int node, boolean shared, String reason) {

	}

}
