package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;

/**
 * The running result of one health check of one task.
 *
 * @param spec the check
 * @param alive null until the first result counts (failures inside the grace period are
 * ignored)
 * @param consecutiveFailures failures since the last success
 * @param firstSuccess the first success, or null
 * @param lastSuccess the last success, or null
 * @param lastFailure the last failure, or null
 * @param lastFailureCause why it last failed, or null
 * @param nextDue when the check runs next
 */
record HealthState(HealthCheckSpec spec, Boolean alive, int consecutiveFailures, Instant firstSuccess,
		Instant lastSuccess, Instant lastFailure, String lastFailureCause, Instant nextDue) {

	static HealthState first(HealthCheckSpec spec, Instant firstDue) {
		return new HealthState(spec, null, 0, null, null, null, null, firstDue);
	}

	HealthState passed(Instant now) {
		return new HealthState(this.spec, true, 0, (this.firstSuccess != null) ? this.firstSuccess : now, now,
				this.lastFailure, this.lastFailureCause, now.plus(this.spec.interval()));
	}

	HealthState failed(Instant now, boolean counts, Instant due) {
		return new HealthState(this.spec, counts ? Boolean.FALSE : this.alive,
				counts ? this.consecutiveFailures + 1 : this.consecutiveFailures, this.firstSuccess, this.lastSuccess,
				now, this.spec.protocol() + " check failed", due);
	}

}
