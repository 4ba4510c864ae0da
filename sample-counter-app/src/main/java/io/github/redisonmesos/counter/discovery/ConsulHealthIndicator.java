package io.github.redisonmesos.counter.discovery;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Consul's health as the watch last saw it (for an {@code ha} binding, the Sentinels',
 * which the watch asks instead; the component keeps its name, {@code consul}); reading it
 * calls neither.
 */
@Component
class ConsulHealthIndicator implements HealthIndicator {

	private final EndpointWatch watch;

	ConsulHealthIndicator(EndpointWatch watch) {
		this.watch = watch;
	}

	@Override
	public Health health() {
		LookupContact contact = this.watch.lastContact();
		Health.Builder builder = (contact != null && contact.reachable()) ? Health.up() : Health.down();
		builder.withDetail("query", this.watch.describe());
		if (contact != null) {
			builder.withDetail("lastContact", contact.at().toString());
			if (contact.reachable()) {
				builder.withDetail("index", contact.index());
			}
			else {
				builder.withDetail("error", contact.error());
			}
		}
		return builder.build();
	}

}
