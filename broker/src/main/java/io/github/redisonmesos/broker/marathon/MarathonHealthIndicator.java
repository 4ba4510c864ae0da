package io.github.redisonmesos.broker.marathon;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Marathon is healthy when it answers {@code /ping}. A failure is reported by its message
 * only: CF polls health often, and a stack trace per poll buries the logs.
 */
@Component
class MarathonHealthIndicator implements HealthIndicator {

	private final MarathonRedisDeployer marathon;

	MarathonHealthIndicator(MarathonRedisDeployer marathon) {
		this.marathon = marathon;
	}

	@Override
	public Health health() {
		try {
			this.marathon.ping();
			return Health.up().build();
		}
		catch (RuntimeException ex) {
			return Health.down().withDetail("error", String.valueOf(ex.getMessage())).build();
		}
	}

}
