package io.github.redisonmesos.broker.instance.ha;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.records.Versioned;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Keeps the HA instances whole between operations: converges each one's nodes (a node
 * back on a fresh volume gets the internal passwords, a replica that was down during a
 * bind or an unbind gets the primary's users before Sentinel may promote it, a Sentinel
 * its client users; see {@link RedisHa#handOver}), then reads where it stands; once it is
 * whole, the Sentinels forget the addresses of nodes gone
 * ({@link RedisHa#clearGoneAddresses}). Sets {@code broker.ha.nodes}
 * ({@code instance_id}, {@code role}: the nodes in each {@link HaRole}) and keeps what it
 * read of each instance, as soon as it is read, for the health endpoint and the placement
 * repair.
 * <p>
 * A reset and a placement move on one instance exclude each other: a replica restarted
 * for its placement while a reset Sentinel relearns the others would fail the reset's
 * bound and leave that Sentinel short of peers. The watch owns the lock:
 * {@link #moveUnlessResetting} runs a move only while no reset of the instance runs, and
 * a reset runs only if no move was made since the state it relies on was read. A reset
 * also waits while Consul lists two nodes on one host: the repair moves one of them
 * first, without waiting for the reset.
 */
@Component
public class HaWatch {

	private static final Logger logger = LoggerFactory.getLogger(HaWatch.class);

	private final RedisDiscovery discovery;

	private final RedisHa ha;

	private final HaSecrets secrets;

	private final MultiGauge nodes;

	private final Map<String, Guard> guards = new ConcurrentHashMap<>();

	private volatile Map<String, View> views = Map.of();

	public HaWatch(RedisDiscovery discovery, RedisHa ha, HaSecrets secrets, MeterRegistry meters) {
		this.discovery = discovery;
		this.ha = ha;
		this.secrets = secrets;
		this.nodes = MultiGauge.builder("broker.ha.nodes")
			.description("Nodes of each HA instance by role, at the last check (broker.reconcile.ha-interval)")
			.register(meters);
	}

	/**
	 * Converge and read every HA instance that is ready and has no operation running (an
	 * operation converges its own instance).
	 * @param records every instance record, tombstones included
	 * @return each checked instance's state by instance id
	 */
	public Map<String, HaState> check(List<Versioned<InstanceRecord>> records) {
		Map<String, View> checked = new TreeMap<>();
		List<Runnable> resets = new ArrayList<>();
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			if (!(record.topology() instanceof InstanceRecord.Ha) || record.removed() || !record.ready()
					|| record.operation().inProgress()) {
				continue;
			}
			checked.put(record.instanceId(), check(record, resets));
		}
		Map<String, HaState> states = new TreeMap<>();
		checked.forEach((instanceId, view) -> states.put(instanceId, view.state()));
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		states.forEach((instanceId, state) -> {
			for (HaRole role : HaRole.values()) {
				long count = state.roles().values().stream().filter(role::equals).count();
				rows.add(MultiGauge.Row.of(Tags.of("instance_id", instanceId, "role", role.tag()), count));
			}
		});
		this.nodes.register(rows, true);
		this.views = Map.copyOf(checked);
		this.guards.keySet().retainAll(checked.keySet());
		// once every instance is read: a reset (seconds) holds back no other's view
		resets.forEach(Runnable::run);
		return states;
	}

	private View check(InstanceRecord record, List<Runnable> resets) {
		String instanceId = record.instanceId();
		Guard guard = this.guards.computeIfAbsent(instanceId, (id) -> new Guard());
		long moves = guard.moves;
		List<HaNode> listed = this.discovery.locateHa(instanceId);
		HaAccess access = this.secrets.access(record, listed);
		try {
			this.ha.handOver(access);
		}
		catch (RuntimeException ex) {
			// the state below says which node is away; the next check tries again
			logger.warn("event=ha_converge_failed instance_id={} reason=\"{}\"", instanceId, ex.getMessage());
		}
		View view = new View(this.ha.state(access, record.nodes()), listed);
		if (!view.state().whole()) {
			logger.warn("event=ha_degraded instance_id={} missing=\"{}\" roles={}", instanceId,
					String.join(", ", view.state().missing()), roles(view.state()));
		}
		else if (!view.sharesAHost()) {
			resets.add(() -> resetUnlessMoved(record, access, guard, moves));
		}
		return view;
	}

	// a move since the state was read: the instance is not whole any more
	private void resetUnlessMoved(InstanceRecord record, HaAccess access, Guard guard, long moves) {
		if (!guard.lock.tryLock()) {
			return;
		}
		try {
			if (guard.moves == moves) {
				clearGoneAddresses(record, access);
			}
		}
		finally {
			guard.lock.unlock();
		}
	}

	// only once whole: a node that is merely away is not gone
	private void clearGoneAddresses(InstanceRecord record, HaAccess access) {
		try {
			for (RedisEndpoint stale : this.ha.clearGoneAddresses(access)) {
				logger.info("event=sentinel_reset instance_id={} stale={}", record.instanceId(), stale);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("event=sentinel_reset_failed instance_id={} reason=\"{}\"", record.instanceId(),
					ex.getMessage());
		}
	}

	/**
	 * Run a placement move of an instance unless its Sentinels are being reset; no reset
	 * of it starts meanwhile, nor later on a state read before the move.
	 * @param instanceId the instance
	 * @param move reads the placement and moves a node if one needs it: true when it did
	 * @return false when a reset of the instance runs (the move did not run)
	 */
	public boolean moveUnlessResetting(String instanceId, BooleanSupplier move) {
		Guard guard = this.guards.computeIfAbsent(instanceId, (id) -> new Guard());
		if (!guard.lock.tryLock()) {
			return false;
		}
		try {
			if (move.getAsBoolean()) {
				guard.moves++;
			}
			return true;
		}
		finally {
			guard.lock.unlock();
		}
	}

	/**
	 * The state of each HA instance at the last check.
	 * @return by instance id, empty before the first check
	 */
	public Map<String, HaState> last() {
		Map<String, HaState> states = new TreeMap<>();
		this.views.forEach((instanceId, view) -> states.put(instanceId, view.state()));
		return states;
	}

	/**
	 * What the last check read of each HA instance.
	 * @return by instance id, empty before the first check
	 */
	public Map<String, View> views() {
		return this.views;
	}

	/**
	 * Each node's role as health and logs show it.
	 * @param state an instance's state
	 * @return {@code node-<n>} to the role's tag, in node order
	 */
	public static Map<String, String> roles(HaState state) {
		Map<String, String> roles = new TreeMap<>();
		state.roles().forEach((node, role) -> roles.put("node-" + node, role.tag()));
		return roles;
	}

	/**
	 * What a check read of one HA instance.
	 *
	 * @param state where it stood
	 * @param listed the nodes Consul listed as passing, at the addresses they announce
	 * (their agents')
	 */
	public record View(HaState state, List<HaNode> listed) {

		public View {
			listed = List.copyOf(listed);
		}

		/**
		 * Whether Consul lists two nodes on one host: seen without asking Marathon.
		 * @return true when two nodes announce one host
		 */
		public boolean sharesAHost() {
			Set<String> hosts = new HashSet<>();
			return !this.listed.stream().allMatch((node) -> hosts.add(node.redis().host()));
		}

		/**
		 * The host each listed node announces.
		 * @return by node index
		 */
		public Map<Integer, String> hosts() {
			Map<Integer, String> hosts = new TreeMap<>();
			this.listed.forEach((node) -> hosts.put(node.index(), node.redis().host()));
			return hosts;
		}

	}

	// one instance's exclusion of a reset and a move; moves counts the moves made
	private static final class Guard {

		private final ReentrantLock lock = new ReentrantLock();

		private volatile long moves;

	}

}
