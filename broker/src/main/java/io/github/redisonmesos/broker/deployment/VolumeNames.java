package io.github.redisonmesos.broker.deployment;

import java.util.ArrayList;
import java.util.List;

/**
 * The external volume names of an instance: the Marathon adapter mounts them and the
 * volume reclamation deletes them, so both take them from here. A name carries a part
 * drawn at provision ({@code tag}), so a new instance never mounts a volume an earlier
 * one with the same id left behind; instances provisioned before names had it have none.
 */
public final class VolumeNames {

	private static final String PREFIX = "osb-redis-";

	private VolumeNames() {
	}

	/**
	 * The volume names of an instance.
	 * @param instanceId the instance id
	 * @param tag the part drawn at provision, or {@code null} for an instance provisioned
	 * without one
	 * @param topology a single Redis (one volume) or an HA instance (one volume a node)
	 * @return as {@link #single} or {@link #perNode}
	 */
	public static List<String> of(String instanceId, String tag, Topology topology) {
		if (topology instanceof HaDeployment ha) {
			return perNode(instanceId, tag, ha.nodeCount());
		}
		return single(instanceId, tag);
	}

	/**
	 * The volume name of a single Redis.
	 * @param instanceId the instance id
	 * @param tag the part drawn at provision, or {@code null} for an instance provisioned
	 * without one
	 * @return {@code [osb-redis-<instance-id>-<tag>]}
	 */
	public static List<String> single(String instanceId, String tag) {
		return List.of(base(instanceId, tag));
	}

	/**
	 * The volume names of an HA instance's nodes.
	 * @param instanceId the instance id
	 * @param tag the part drawn at provision, or {@code null} for an instance provisioned
	 * without one
	 * @param nodes the node count (one volume each)
	 * @return {@code osb-redis-<instance-id>-<tag>-node-<n>} for each node
	 */
	public static List<String> perNode(String instanceId, String tag, int nodes) {
		List<String> names = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			names.add(base(instanceId, tag) + "-node-" + node);
		}
		return List.copyOf(names);
	}

	private static String base(String instanceId, String tag) {
		return PREFIX + instanceId + ((tag != null) ? "-" + tag : "");
	}

}
