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
	 * @param haNodes the node count of an HA instance (one volume each), 0 for a single
	 * Redis (one volume)
	 * @return {@code osb-redis-<instance-id>-<tag>}, or
	 * {@code osb-redis-<instance-id>-<tag>-node-<n>} for each node
	 */
	public static List<String> of(String instanceId, String tag, int haNodes) {
		String base = PREFIX + instanceId + ((tag != null) ? "-" + tag : "");
		if (haNodes == 0) {
			return List.of(base);
		}
		List<String> names = new ArrayList<>();
		for (int node = 0; node < haNodes; node++) {
			names.add(base + "-node-" + node);
		}
		return List.copyOf(names);
	}

}
