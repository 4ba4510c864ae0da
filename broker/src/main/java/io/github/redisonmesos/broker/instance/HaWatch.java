package io.github.redisonmesos.broker.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
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
 * ({@code instance_id}, {@code role}: the nodes in each {@link HaRole}) and keeps the
 * last view for the health endpoint.
 */
@Component
public class HaWatch {

	private static final Logger logger = LoggerFactory.getLogger(HaWatch.class);

	private final RedisDiscovery discovery;

	private final RedisHa ha;

	private final HaSecrets secrets;

	private final MultiGauge nodes;

	private volatile Map<String, HaState> last = Map.of();

	HaWatch(RedisDiscovery discovery, RedisHa ha, HaSecrets secrets, MeterRegistry meters) {
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
		Map<String, HaState> states = new TreeMap<>();
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			if (!(record.topology() instanceof InstanceRecord.Ha) || record.removed() || !record.ready()
					|| record.operation().inProgress()) {
				continue;
			}
			states.put(record.instanceId(), check(record));
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		states.forEach((instanceId, state) -> {
			for (HaRole role : HaRole.values()) {
				long count = state.roles().values().stream().filter(role::equals).count();
				rows.add(MultiGauge.Row.of(Tags.of("instance_id", instanceId, "role", role.tag()), count));
			}
		});
		this.nodes.register(rows, true);
		this.last = Map.copyOf(states);
		return states;
	}

	private HaState check(InstanceRecord record) {
		List<HaNode> listed = this.discovery.locateHa(record.instanceId());
		HaAccess access = this.secrets.access(record, listed);
		try {
			this.ha.handOver(access);
		}
		catch (RuntimeException ex) {
			// the state below says which node is away; the next check tries again
			logger.warn("event=ha_converge_failed instance_id={} reason=\"{}\"", record.instanceId(), ex.getMessage());
		}
		HaState state = this.ha.state(access, record.nodes());
		if (!state.whole()) {
			logger.warn("event=ha_degraded instance_id={} missing=\"{}\" roles={}", record.instanceId(),
					String.join(", ", state.missing()), roles(state));
		}
		else {
			clearGoneAddresses(record, access);
		}
		return state;
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
	 * The state of each HA instance at the last check.
	 * @return by instance id, empty before the first check
	 */
	public Map<String, HaState> last() {
		return this.last;
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

}
