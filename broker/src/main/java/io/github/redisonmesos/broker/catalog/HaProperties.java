package io.github.redisonmesos.broker.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.Min;

/**
 * What makes a plan highly available: Redis nodes (a primary and replicas), each with a
 * Sentinel beside it, as Marathon apps of their own.
 *
 * @param nodes Redis nodes (and Sentinels), 3 by default
 * @param quorum Sentinels that must agree the primary is down, 2 by default
 * @param downAfter Sentinel {@code down-after-milliseconds}: how long a node may not
 * answer before it counts as down (5s by default, for a real cluster)
 * @param failoverTimeout Sentinel {@code failover-timeout} (10s by default: Sentinels
 * whose votes split wait twice this long before they try again, and with three of them,
 * two left after a node's death, a split vote is not rare)
 * @param zoneAttribute the Mesos agent attribute that puts each node in a zone of its own
 * (e.g. {@code zone}); empty: no zone constraint (the nodes are kept on different agents
 * whatever this says)
 * @param zones one value of that attribute per node, in node order
 */
public record HaProperties(@Min(3) Integer nodes, @Min(1) Integer quorum, Duration downAfter, Duration failoverTimeout,
		String zoneAttribute, List<String> zones) {

	public HaProperties {
		nodes = (nodes != null) ? nodes : 3;
		quorum = (quorum != null) ? quorum : 2;
		downAfter = (downAfter != null) ? downAfter : Duration.ofSeconds(5);
		failoverTimeout = (failoverTimeout != null) ? failoverTimeout : Duration.ofSeconds(10);
		zoneAttribute = (zoneAttribute != null) ? zoneAttribute : "";
		zones = (zones != null) ? List.copyOf(zones) : List.of();
	}

	/**
	 * What makes this block unusable, as a plan with a field missing is: a zone attribute
	 * without one zone per node (or zones without the attribute) would leave some nodes
	 * unconstrained, and a quorum above the Sentinels' count could never be reached.
	 * @return one phrase per problem, naming the fields; empty when the block is sound
	 */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (this.zoneAttribute.isEmpty() && !this.zones.isEmpty()) {
			problems.add("ha.zones without ha.zone-attribute");
		}
		if (!this.zoneAttribute.isEmpty() && this.zones.size() != this.nodes) {
			problems.add("ha.zone-attribute " + this.zoneAttribute + " with " + this.zones.size() + " ha.zones for "
					+ this.nodes + " ha.nodes (one zone per node)");
		}
		if (this.quorum > this.nodes) {
			problems.add("ha.quorum " + this.quorum + " above ha.nodes " + this.nodes);
		}
		return problems;
	}

	/**
	 * The operator's Marathon constraint of one node, beside the one that keeps it off
	 * the other nodes' agents.
	 * @param node the node's index
	 * @return {@code [attribute, CLUSTER, zone]}, or empty for no zone
	 */
	public List<String> placement(int node) {
		if (this.zoneAttribute.isEmpty() || node >= this.zones.size()) {
			return List.of();
		}
		return List.of(this.zoneAttribute, "CLUSTER", this.zones.get(node));
	}

}
