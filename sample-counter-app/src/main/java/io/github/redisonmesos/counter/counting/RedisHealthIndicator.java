package io.github.redisonmesos.counter.counting;

import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * PINGs the Redis the watch last saw, as the binding's user (named in the details; the
 * password never is).
 */
@Component
class RedisHealthIndicator implements HealthIndicator {

	private final EndpointWatch watch;

	private final RedisPools pools;

	private final String user;

	RedisHealthIndicator(EndpointWatch watch, RedisPools pools, RedisBinding binding) {
		this.watch = watch;
		this.pools = pools;
		this.user = (binding.username() != null) ? binding.username() : "(none: password only, or no password)";
	}

	@Override
	public Health health() {
		Resolution resolution = this.watch.current();
		if (resolution instanceof Unresolved unresolved) {
			return Health.down().withDetail("user", this.user).withDetail("reason", unresolved.message()).build();
		}
		Resolved resolved = (Resolved) resolution;
		try {
			String reply = this.pools.poolFor(resolved.endpoint()).ping();
			return Health.up()
				.withDetail("endpoint", resolved.endpoint().toString())
				.withDetail("user", this.user)
				.withDetail("ping", reply)
				.build();
		}
		catch (JedisException ex) {
			return Health.down()
				.withDetail("endpoint", resolved.endpoint().toString())
				.withDetail("user", this.user)
				.withDetail("error", ex.getMessage())
				.build();
		}
	}

}
