package io.github.redisonmesos.broker.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.instance.HaPlacementChoice;
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
 * {@code broker.reconcile.ha-interval}: of each whole instance without an operation, at
 * most one node ({@link HaPlacementChoice}) is redeployed with a constraint that keeps it
 * off where the others run now, and Marathon restarts it elsewhere. A node that shares an
 * agent moves at once; a replica whose constraint is only stale (after another node
 * moved) waits until every node has run for {@link #QUIET}, so that the refresh, a
 * planned restart of a replica, never comes on top of the failover that moved a node.
 * Safe on every broker at once: a redeploy of the same definition changes nothing.
 */
@Component
class HaPlacementRepair {

	/** How long every node must have run before a stale constraint is refreshed. */
	static final Duration QUIET = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(HaPlacementRepair.class);

	private final InstanceRecords instances;

	private final HaWatch watch;

	private final RedisDeployer deployer;

	private final InstanceDeployments deployments;

	private final Clock clock;

	HaPlacementRepair(InstanceRecords instances, HaWatch watch, RedisDeployer deployer, InstanceDeployments deployments,
			Clock clock) {
		this.instances = instances;
		this.watch = watch;
		this.deployer = deployer;
		this.deployments = deployments;
		this.clock = clock;
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
	List<HaPlacementChoice.Move> repair(List<Versioned<InstanceRecord>> records, Map<String, HaState> states) {
		List<HaPlacementChoice.Move> moves = new ArrayList<>();
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			HaState state = states.get(record.instanceId());
			if (!(record.topology() instanceof InstanceRecord.Ha) || record.removed() || !record.ready()
					|| record.operation().inProgress() || state == null) {
				continue;
			}
			List<Optional<NodePlacement>> placements = this.deployer.nodePlacements(record.instanceId(),
					record.nodes());
			Optional<HaPlacementChoice.Move> move = HaPlacementChoice.choose(placements, state)
				.filter((chosen) -> chosen.shared() || quiet(placements));
			if (move.isPresent()) {
				logger.info("event=ha_placement_repair instance_id={} node={} reason=\"{}\"", record.instanceId(),
						move.get().node(), move.get().reason());
				this.deployer.redeployNode(this.deployments.of(record), move.get().node());
				moves.add(move.get());
			}
		}
		return moves;
	}

	private boolean quiet(List<Optional<NodePlacement>> placements) {
		Instant settled = this.clock.instant().minus(QUIET);
		return placements.stream()
			.flatMap(Optional::stream)
			.allMatch((placement) -> placement.since().isBefore(settled));
	}

}
