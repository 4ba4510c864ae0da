package io.github.redisonmesos.broker.reconcile;

import java.util.Map;

import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.instance.ha.HaWatch;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link HaWatch} every {@code broker.reconcile.ha-interval}: often, because a node
 * that comes back must have the bindings' users within seconds, before Sentinel may
 * promote it. A node that is right already is only read. Safe on every broker at once:
 * each write makes a node what the primary says.
 */
@Component
class HaReconciliation {

	private static final Logger logger = LoggerFactory.getLogger(HaReconciliation.class);

	private final InstanceRecords instances;

	private final HaWatch watch;

	HaReconciliation(InstanceRecords instances, HaWatch watch) {
		this.instances = instances;
		this.watch = watch;
	}

	@Scheduled(initialDelayString = "${broker.reconcile.ha-interval:10s}",
			fixedDelayString = "${broker.reconcile.ha-interval:10s}")
	void scheduled() {
		try {
			Map<String, HaState> states = this.watch.check(this.instances.all());
			long whole = states.values().stream().filter(HaState::whole).count();
			logger.debug("event=ha_checked instances={} whole={}", states.size(), whole);
		}
		catch (RuntimeException ex) {
			logger.warn("event=ha_check_failed reason=\"{}\"", ex.getMessage());
		}
	}

}
