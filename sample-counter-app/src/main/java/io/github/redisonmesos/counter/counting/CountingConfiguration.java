package io.github.redisonmesos.counter.counting;

import java.time.Duration;

import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts {@link CounterService} counts with.
 */
@Configuration(proxyBeanMethods = false)
class CountingConfiguration {

	@Bean
	WaitingRoom waitingRoom(WaitProperties waits) {
		return new WaitingRoom(waits.maxWaiting());
	}

	@Bean
	WaitingRoomAttendant waitingRoomAttendant(WaitingRoom waitingRoom, CounterService counterService,
			EndpointWatch watch) {
		return new WaitingRoomAttendant(waitingRoom, counterService, watch);
	}

	@Bean
	IdempotentIncrement idempotentIncrement(WaitProperties waits, RedisClientProperties redis, RedisBinding binding) {
		// a request's attempts start within its wait plus one command's timeout (the
		// time it has to learn whether an attempt whose answer was lost counted), and the
		// last one ends a timeout later: twice the timeout, and a second for clocks
		Duration markerTtl = waits.maxWait(binding.isHa())
			.plus(redis.timeout().multipliedBy(2))
			.plus(Duration.ofSeconds(1));
		// WAIT 1 within half the command timeout, so the connection's own read timeout
		// never fires first; none for a single Redis
		return new IdempotentIncrement(markerTtl, binding.isHa() ? redis.timeout().dividedBy(2) : Duration.ZERO);
	}

	@Bean
	CounterMetrics counterMetrics(MeterRegistry registry, EndpointWatch watch, WaitingRoom waitingRoom) {
		return new CounterMetrics(registry, watch, waitingRoom::waiting);
	}

}
