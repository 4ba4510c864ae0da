package io.github.redisonmesos.broker.reconcile;

import io.github.redisonmesos.broker.binding.BindingResealer;
import io.github.redisonmesos.broker.instance.InstanceReconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the reconciliation every {@code broker.reconcile.interval}. A run that fails
 * (Marathon or Consul away) is logged and tried again at the next interval.
 */
@Component
class Reconciliation {

	private static final Logger logger = LoggerFactory.getLogger(Reconciliation.class);

	private final InstanceReconciler instances;

	private final BindingResealer bindings;

	private final ReconcileProperties properties;

	Reconciliation(InstanceReconciler instances, BindingResealer bindings, ReconcileProperties properties) {
		this.instances = instances;
		this.bindings = bindings;
		this.properties = properties;
	}

	@Scheduled(initialDelayString = "${broker.reconcile.interval:5m}",
			fixedDelayString = "${broker.reconcile.interval:5m}")
	void run() {
		try {
			InstanceReconciler.Report report = this.instances.reconcile(this.properties.removeOrphanApps());
			int resealed = report.resealed();
			for (String instanceId : report.instances()) {
				resealed += this.bindings.reseal(instanceId);
			}
			logger.info("event=reconciled instances={} orphan_apps={} records_without_app={} resealed={}",
					report.instances().size(), report.orphanApps().size(), report.recordsWithoutApp(), resealed);
		}
		catch (RuntimeException ex) {
			logger.warn("event=reconcile_failed reason=\"{}\"", ex.getMessage());
		}
	}

}
