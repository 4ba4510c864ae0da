package io.github.redisonmesos.broker.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an HA instance stands, as its Sentinels and nodes say now.
 *
 * @param primary the primary the Sentinels agree on, empty when they name none
 * @param replicasInSync replicas connected to the primary and streaming from it
 * @param sentinelsWithQuorum Sentinels that answer {@code SENTINEL CKQUORUM} with OK
 * @param nodes the nodes the instance has
 * @param roles each node's role by its index, every node of the instance (those Consul
 * does not list are {@link HaRole#MISSING})
 */
public record HaState(Optional<RedisEndpoint> primary, int replicasInSync, int sentinelsWithQuorum, int nodes,
		Map<Integer, HaRole> roles) {

	public HaState {
		roles = Map.copyOf(roles);
	}

	/**
	 * Whether the instance is whole: a primary, every other node its replica in sync, and
	 * every Sentinel with a quorum.
	 * @return true when nothing is missing
	 */
	public boolean whole() {
		return missing().isEmpty();
	}

	/**
	 * The nodes in one role.
	 * @param role the role
	 * @return their indexes, in order
	 */
	public List<Integer> inRole(HaRole role) {
		return this.roles.entrySet()
			.stream()
			.filter((node) -> node.getValue() == role)
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	/**
	 * What is still missing, as a person reads it in {@code cf service}.
	 * @return the missing parts, empty when the instance is whole
	 */
	public List<String> missing() {
		List<String> missing = new ArrayList<>();
		if (this.primary.isEmpty()) {
			missing.add("no primary named by the Sentinels");
		}
		if (this.replicasInSync < this.nodes - 1) {
			missing.add(this.replicasInSync + " of " + (this.nodes - 1) + " replicas in sync");
		}
		if (this.sentinelsWithQuorum < this.nodes) {
			missing.add(this.sentinelsWithQuorum + " of " + this.nodes + " Sentinels with a quorum");
		}
		return missing;
	}

}
