package io.github.redisonmesos.counter.counting;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.RedisEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * What {@code /actuator/prometheus} tells about counting: requests by outcome, waits,
 * re-resolutions, how long a move took and which Redis is in use. Every meter is created
 * once, so a request only bumps a counter.
 */
final class CounterMetrics {

	static final String REQUESTS = "counter.requests";

	static final String WAITING_CAP = "waiting-cap";

	private final Counter counted;

	private final Counter waitedThenCounted;

	private final Map<FailureKind, Counter> unavailable = new EnumMap<>(FailureKind.class);

	private final Counter unavailableAtCap;

	private final Timer moveTime;

	private final MultiGauge endpointInUse;

	private final EndpointWatch watch;

	private final AtomicReference<RedisEndpoint> countedOn = new AtomicReference<>();

	private final AtomicLong timedDeparture = new AtomicLong(-1);

	CounterMetrics(MeterRegistry registry, EndpointWatch watch, IntSupplier waiting) {
		this.watch = watch;
		this.counted = requests(registry, "counted", "none");
		this.waitedThenCounted = requests(registry, "waited_then_counted", "none");
		for (FailureKind kind : FailureKind.values()) {
			this.unavailable.put(kind, requests(registry, "unavailable", kind.wireName()));
		}
		this.unavailableAtCap = requests(registry, "unavailable", WAITING_CAP);
		this.moveTime = Timer.builder("counter.redis.move")
			.description("From Consul's first answer without the Redis the app counted on to the first count on the "
					+ "next one")
			.register(registry);
		this.endpointInUse = MultiGauge.builder("counter.redis.endpoint")
			.description("The Redis the app counts on (value 1), by host and port")
			.register(registry);
		FunctionCounter.builder("counter.consul.reresolutions", watch, EndpointWatch::reresolutions)
			.description("Consul asked at once because Redis failed at the endpoint in use")
			.register(registry);
		Gauge.builder("counter.requests.waiting", waiting::getAsInt)
			.description("Requests waiting for Redis now")
			.register(registry);
	}

	private static Counter requests(MeterRegistry registry, String outcome, String reason) {
		return Counter.builder(REQUESTS)
			.description("Count requests by outcome; reason is the 503's error, or waiting-cap")
			.tags(Tags.of("outcome", outcome, "reason", reason))
			.register(registry);
	}

	void counted(RedisEndpoint endpoint, boolean waited) {
		(waited ? this.waitedThenCounted : this.counted).increment();
		RedisEndpoint previous = this.countedOn.get();
		// a read per request, a write only when the endpoint changes
		if (!endpoint.equals(previous) && this.countedOn.compareAndSet(previous, endpoint) && previous != null) {
			long departed = this.watch.departedFrom(previous);
			// once per departure, even if a late answer from the old endpoint comes in
			// between
			if (departed >= 0 && this.timedDeparture.getAndSet(departed) != departed) {
				this.moveTime.record(System.nanoTime() - departed, TimeUnit.NANOSECONDS);
			}
		}
	}

	void unavailable(FailureKind kind, boolean atWaitingCap) {
		(atWaitingCap ? this.unavailableAtCap : this.unavailable.get(kind)).increment();
	}

	void endpointInUse(RedisEndpoint endpoint) {
		this.endpointInUse.register(List
			.of(MultiGauge.Row.of(Tags.of("host", endpoint.host(), "port", Integer.toString(endpoint.port())), 1)),
				true);
	}

}
