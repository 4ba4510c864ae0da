package io.github.redisonmesos.broker.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.instance.ha.HaPlacementChoice;
import io.github.redisonmesos.broker.instance.ha.HaWatch;
import io.github.redisonmesos.broker.instance.InstanceDeployments;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the nodes of each HA instance on agents of their own, every
 * {@code broker.reconcile.ha-interval}, on a thread of its own (a reset of the Sentinels
 * by {@link HaWatch} takes seconds, and must not hold a move back): of each whole
 * instance without an operation, at most one node ({@link HaPlacementChoice}) is
 * redeployed with a constraint that keeps it off where the others run now, and Marathon
 * restarts it elsewhere. A node that shares an agent moves at once; a replica whose
 * constraint is only stale (after another node moved) waits until every node has run for
 * {@link #QUIET}, so that the refresh, a planned restart of a replica, never comes on top
 * of the failover that moved a node.
 * <p>
 * Marathon is asked only when something may have changed: the hosts the nodes announce in
 * Consul (as {@link HaWatch} read them) or the instance's record changed since the last
 * answer, Consul lists two nodes on one host, a refresh waits for its quiet time or a
 * node was deploying, or {@code broker.reconcile.interval} has passed (a change made in
 * Marathon behind the broker's back). A move runs only while {@link HaWatch} resets none
 * of the instance's Sentinels ({@link HaWatch#moveUnlessResetting}). Safe on every broker
 * at once: a redeploy of the same definition changes nothing.
 */
@Component
class HaPlacementRepair implements SmartLifecycle {

	/** How long every node must have run before a stale constraint is refreshed. */
	static final Duration QUIET = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(HaPlacementRepair.class);

	private final InstanceRecords instances;

	private final HaWatch watch;

	private final RedisDeployer deployer;

	private final InstanceDeployments deployments;

	private final Clock clock;

	private final Duration interval;

	private final Duration recheck;

	// what Marathon last said of each instance, and when to ask it again
	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private ScheduledExecutorService executor;

	HaPlacementRepair(InstanceRecords instances, HaWatch watch, RedisDeployer deployer, InstanceDeployments deployments,
			ReconcileProperties properties, Clock clock) {
		this.instances = instances;
		this.watch = watch;
		this.deployer = deployer;
		this.deployments = deployments;
		this.clock = clock;
		this.interval = properties.haInterval();
		this.recheck = properties.interval();
	}

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "ha-placement");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::scheduled, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	void scheduled() {
		try {
			repair(this.instances.all(), this.watch.views());
		}
		catch (RuntimeException ex) {
			logger.warn("event=ha_placement_check_failed reason=\"{}\"", ex.getMessage());
		}
	}

	/**
	 * Move at most one node of each HA instance that needs it, asking Marathon only about
	 * the instances where something may have changed.
	 * @param records every instance record
	 * @param views what the last check read of each HA instance, by instance id
	 * @return the moves made
	 */
	List<HaPlacementChoice.Move> repair(List<Versioned<InstanceRecord>> records, Map<String, HaWatch.View> views) {
		Instant now = this.clock.instant();
		List<HaPlacementChoice.Move> moves = new ArrayList<>();
		Set<String> whole = new HashSet<>();
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			HaWatch.View view = views.get(record.instanceId());
			if (!(record.topology() instanceof InstanceRecord.Ha) || record.removed() || !record.ready()
					|| record.operation().inProgress() || view == null || !view.state().whole()) {
				continue;
			}
			whole.add(record.instanceId());
			Seen seen = new Seen(current.version(), view.hosts());
			Answer last = this.answers.get(record.instanceId());
			if (last != null && last.seen().equals(seen) && now.isBefore(last.askAgain()) && !view.sharesAHost()) {
				continue;
			}
			boolean ran = this.watch.moveUnlessResetting(record.instanceId(), () -> {
				Optional<HaPlacementChoice.Move> move = moveIfNeeded(record, view, seen, now);
				move.ifPresent(moves::add);
				return move.isPresent();
			});
			if (!ran) {
				// its Sentinels are being reset: the next round asks again
				this.answers.remove(record.instanceId());
			}
		}
		// an instance that was not whole is asked again once it is
		this.answers.keySet().retainAll(whole);
		return moves;
	}

	// reads the node apps; moves a node, or notes when to read them again
	private Optional<HaPlacementChoice.Move> moveIfNeeded(InstanceRecord record, HaWatch.View view, Seen seen,
			Instant now) {
		List<Optional<NodePlacement>> placements = this.deployer.nodePlacements(record.instanceId(), record.nodes());
		Optional<HaPlacementChoice.Move> choice = HaPlacementChoice.choose(placements, view.state());
		Optional<HaPlacementChoice.Move> move = choice.filter((chosen) -> chosen.shared() || quiet(placements, now));
		if (move.isPresent()) {
			logger.info("event=ha_placement_repair instance_id={} node={} reason=\"{}\"", record.instanceId(),
					move.get().node(), move.get().reason());
			this.deployer.redeployNode(this.deployments.of(record), move.get().node());
			this.answers.remove(record.instanceId());
			return move;
		}
		Instant askAgain;
		if (choice.isPresent()) {
			// a stale constraint: refreshed once every node has run for QUIET
			askAgain = newest(placements).plus(QUIET);
		}
		else if (HaPlacementChoice.settling(placements)) {
			askAgain = now;
		}
		else {
			askAgain = now.plus(this.recheck);
		}
		this.answers.put(record.instanceId(), new Answer(seen, askAgain));
		return Optional.empty();
	}

	private static boolean quiet(List<Optional<NodePlacement>> placements, Instant now) {
		return newest(placements).plus(QUIET).isBefore(now);
	}

	private static Instant newest(List<Optional<NodePlacement>> placements) {
		return placements.stream()
			.flatMap(Optional::stream)
			.map(NodePlacement::since)
			.max(Instant::compareTo)
			.orElse(Instant.EPOCH);
	}

	/**
	 * What the broker knew of an instance without Marathon when it last asked.
	 *
	 * @param version the record's version
	 * @param hosts the host each node announced in Consul, by index
	 */
	private record Seen(long version, Map<Integer, String> hosts) {

	}

	/**
	 * What Marathon's answer left to do.
	 *
	 * @param seen what was known without Marathon then
	 * @param askAgain when to ask again even if nothing changed
	 */
	private record Answer(Seen seen, Instant askAgain) {

	}

}
