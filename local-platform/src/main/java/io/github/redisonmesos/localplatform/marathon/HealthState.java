package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;

/**
 * The running result of one health check of one task.
 */
final class HealthState {

	final HealthCheckSpec spec;

	// Null until the first result counts: failures inside the grace period are ignored.
	Boolean alive;

	int consecutiveFailures;

	Instant firstSuccess;

	Instant lastSuccess;

	Instant lastFailure;

	String lastFailureCause;

	Instant nextDue;

	HealthState(HealthCheckSpec spec, Instant firstDue) {
		this.spec = spec;
		this.nextDue = firstDue;
	}

}
