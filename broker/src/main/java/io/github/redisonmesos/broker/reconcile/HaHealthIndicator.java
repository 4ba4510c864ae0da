package io.github.redisonmesos.broker.reconcile;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.instance.ha.HaWatch;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The HA instances' nodes by role, as the last {@link HaWatch} check found them (no call
 * to Redis per health request). Always up: an instance that lost a node is the tenant's
 * trouble to see, not a reason to restart the broker. The details (shown to the broker's
 * user only) name each instance's roles and what it misses.
 */
@Component("ha")
class HaHealthIndicator implements HealthIndicator {

	private final HaWatch watch;

	HaHealthIndicator(HaWatch watch) {
		this.watch = watch;
	}

	@Override
	public Health health() {
		Map<String, HaState> states = this.watch.last();
		Map<String, Object> instances = new LinkedHashMap<>();
		states.forEach((instanceId, state) -> {
			Map<String, Object> detail = new LinkedHashMap<>(HaWatch.roles(state));
			detail.put("whole", state.whole());
			if (!state.whole()) {
				detail.put("missing", state.missing());
			}
			instances.put(instanceId, detail);
		});
		return Health.up()
			.withDetail("instances", states.size())
			.withDetail("degraded", states.values().stream().filter((state) -> !state.whole()).count())
			.withDetail("nodes", instances)
			.build();
	}

}
