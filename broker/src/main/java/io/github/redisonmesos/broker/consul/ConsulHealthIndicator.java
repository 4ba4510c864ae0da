package io.github.redisonmesos.broker.consul;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Consul is healthy when its agent answers {@code /v1/agent/self}. A failure is reported
 * by its message only: CF polls health often, and a stack trace per poll buries the logs.
 */
@Component
class ConsulHealthIndicator implements HealthIndicator {

	private final ConsulClient consul;

	ConsulHealthIndicator(ConsulClient consul) {
		this.consul = consul;
	}

	@Override
	public Health health() {
		try {
			return Health.up().withDetail("datacenter", this.consul.datacenter()).build();
		}
		catch (RuntimeException ex) {
			return Health.down().withDetail("error", String.valueOf(ex.getMessage())).build();
		}
	}

}
