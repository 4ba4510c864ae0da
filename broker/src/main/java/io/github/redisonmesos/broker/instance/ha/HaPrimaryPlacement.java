package io.github.redisonmesos.broker.instance.ha;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.instance.InstanceDeployments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of an HA provision: the primary gets a host constraint too. node-0 is
 * deployed alone, with nothing to keep off, and becomes the primary; the broker never
 * restarts a primary for its placement, so without this step node-0 would keep no host
 * constraint until its first failover, and the loss of its agent could bring it back
 * beside a replica. Once the instance is whole and every replica's constraint is current
 * ({@link HaPlacementChoice} has nothing to move), a primary whose app keeps off no agent
 * is switched over ({@link RedisHa#switchOver}, as a rolling update does): it turns
 * replica, and {@link HaPlacementChoice} then restarts it with a constraint that keeps it
 * off the others' agents. The instance is empty and unbound, so the switch-over costs no
 * client anything. At most one switch-over per provision: every node after node-0 is
 * rendered with the agents of those before it, so whichever becomes the primary keeps off
 * at least one agent. Decided from what Marathon and the Sentinels say now, nothing
 * remembered between polls.
 */
final class HaPrimaryPlacement {

	private static final Logger logger = LoggerFactory.getLogger(HaPrimaryPlacement.class);

	private final RedisHa ha;

	HaPrimaryPlacement(RedisHa ha) {
		this.ha = ha;
	}

	/**
	 * Switch over from a primary whose app keeps off no agent, if it is one.
	 * @param instanceId the instance
	 * @param access the nodes and the secrets
	 * @param state the instance's state, whole
	 * @param placements each node's placement by index
	 * @param pause how long the old primary holds writes back (the failover timeout)
	 * @return what the operation waits for, empty when the primary has a host constraint
	 * (or the Sentinels do not name exactly one)
	 */
	Optional<String> step(String instanceId, HaAccess access, HaState state, List<Optional<NodePlacement>> placements,
			Duration pause) {
		List<Integer> primaries = state.inRole(HaRole.PRIMARY);
		if (primaries.size() != 1) {
			return Optional.empty();
		}
		int primary = primaries.get(0);
		Optional<NodePlacement> placement = placements.get(primary);
		Set<String> others = new TreeSet<>(InstanceDeployments.othersHosts(placements, primary));
		if (placement.isEmpty() || !placement.get().avoidedHosts().isEmpty() || others.isEmpty()) {
			return Optional.empty();
		}
		// the Sentinels may refuse for a few seconds (NOGOODSLAVE: they read a restarted
		// replica's replica-priority every 10 s); the next poll asks again
		this.ha.switchOver(access, pause);
		logger.info("event=ha_switch_over instance_id={} from_node={} reason=\"its app keeps off no agent\"",
				instanceId, primary);
		return Optional.of("switching over from node-" + primary
				+ ", the primary, so that it restarts as a replica with a constraint that keeps it off "
				+ String.join(", ", others));
	}

}
