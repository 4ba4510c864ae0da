package io.github.redisonmesos.broker.instance;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.redisonmesos.broker.consul.Versioned;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Compares the instance records with what Marathon runs under the broker's group, and
 * keeps the records tidy: reports an app without a record and a record of a ready
 * instance without an app (and removes orphan apps when told to), forgets the tombstones
 * of deprovisions older than {@code broker.provision.remember-removed}, seals admin
 * passwords sealed with the previous key again with the current one, and counts the
 * instances by state. Safe to run on every broker at once: each change is a
 * check-and-set.
 */
@Component
public class InstanceReconciler {

	private static final Logger logger = LoggerFactory.getLogger(InstanceReconciler.class);

	private final InstanceRepository instances;

	private final RedisDeployer deployer;

	private final AdminPasswords adminPasswords;

	private final Duration rememberRemoved;

	private final Clock clock;

	private final Map<Kind, AtomicInteger> orphans;

	private final Map<State, AtomicInteger> states;

	InstanceReconciler(InstanceRepository instances, RedisDeployer deployer, AdminPasswords adminPasswords,
			ProvisionProperties properties, Clock clock, MeterRegistry meters) {
		this.instances = instances;
		this.deployer = deployer;
		this.adminPasswords = adminPasswords;
		this.rememberRemoved = properties.rememberRemoved();
		this.clock = clock;
		this.orphans = gauges(meters, "broker.orphans", "kind", Kind.class,
				"Apps without a record and records of ready instances without an app, at the last reconciliation");
		this.states = gauges(meters, "broker.instances", "state", State.class,
				"Instance records by state, at the last reconciliation");
	}

	// one gauge per value of an enum, tagged with the value's lower-case name
	private static <E extends Enum<E>> Map<E, AtomicInteger> gauges(MeterRegistry meters, String name, String tag,
			Class<E> values, String description) {
		Map<E, AtomicInteger> gauges = new EnumMap<>(values);
		for (E value : values.getEnumConstants()) {
			AtomicInteger count = new AtomicInteger();
			gauges.put(value, count);
			Gauge.builder(name, count, AtomicInteger::get)
				.description(description)
				.tag(tag, value.name().toLowerCase(Locale.ROOT))
				.register(meters);
		}
		return gauges;
	}

	/**
	 * Reconcile once.
	 * @param removeOrphanApps whether to remove apps that no record knows
	 * @return what was found
	 */
	public Report reconcile(boolean removeOrphanApps) {
		Set<String> deployed = new HashSet<>(this.deployer.deployedInstances());
		Map<State, Integer> counts = new EnumMap<>(State.class);
		Set<String> known = new HashSet<>();
		int recordsWithoutApp = 0;
		int resealed = 0;
		for (String instanceId : this.instances.ids()) {
			Versioned<InstanceRecord> current = this.instances.find(instanceId).orElse(null);
			if (current == null) {
				continue;
			}
			InstanceRecord record = current.value();
			State state = State.of(record);
			counts.merge(state, 1, Integer::sum);
			if (record.removed()) {
				forgetIfOld(current);
				continue;
			}
			known.add(instanceId);
			if (record.ready() && !record.operation().inProgress() && !deployed.contains(instanceId)) {
				recordsWithoutApp++;
				logger.warn("event=orphan_record instance_id={} app_of_instance=missing operation={} state={}",
						instanceId, record.operation().type().token(), record.operation().state());
			}
			if (this.adminPasswords.sealedWithOlderKey(record)
					&& this.instances.replace(current, this.adminPasswords.resealed(record))) {
				resealed++;
			}
		}
		List<String> orphanApps = deployed.stream().filter((id) -> !known.contains(id)).sorted().toList();
		for (String instanceId : orphanApps) {
			logger.warn("event=orphan_app instance_id={} record=missing action={}", instanceId,
					removeOrphanApps ? "removed" : "reported (broker.reconcile.remove-orphan-apps=false)");
			if (removeOrphanApps) {
				this.deployer.undeploy(instanceId);
			}
		}
		this.orphans.get(Kind.APP).set(orphanApps.size());
		this.orphans.get(Kind.RECORD).set(recordsWithoutApp);
		for (State state : State.values()) {
			this.states.get(state).set(counts.getOrDefault(state, 0));
		}
		return new Report(orphanApps, recordsWithoutApp, resealed, List.copyOf(known));
	}

	private void forgetIfOld(Versioned<InstanceRecord> tombstone) {
		if (tombstone.value().removedAt().plus(this.rememberRemoved).isBefore(this.clock.instant())
				&& this.instances.forget(tombstone)) {
			logger.info("event=tombstone_forgotten instance_id={}", tombstone.value().instanceId());
		}
	}

	/**
	 * What one reconciliation found.
	 *
	 * @param orphanApps instances with an app and no record
	 * @param recordsWithoutApp ready instances whose app is missing
	 * @param resealed records whose admin password was sealed again with the current key
	 * @param instances the instances with a live record
	 */
	public record Report(List<String> orphanApps, int recordsWithoutApp, int resealed, List<String> instances) {

	}

	private enum Kind {

		APP, RECORD

	}

	private enum State {

		PROVISIONING, READY, UPDATING, DEPROVISIONING, FAILED, REMOVED;

		static State of(InstanceRecord record) {
			if (record.removed()) {
				return REMOVED;
			}
			Operation operation = record.operation();
			if (operation.state() == Operation.State.FAILED) {
				return FAILED;
			}
			if (operation.state() == Operation.State.SUCCEEDED) {
				return READY;
			}
			return switch (operation.type()) {
				case PROVISION -> PROVISIONING;
				case UPDATE -> UPDATING;
				case DEPROVISION -> DEPROVISIONING;
			};
		}

	}

}
