package io.github.redisonmesos.broker.remote;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code broker.remote.calls} of one dependency ({@code service}, {@code call},
 * {@code outcome}), each timer built once per tag set: the builder's lookup cost more
 * than the call's own bookkeeping under load.
 */
final class RemoteCallTimers {

	private final String service;

	private final MeterRegistry meters;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	RemoteCallTimers(String service, MeterRegistry meters) {
		this.service = service.toLowerCase(Locale.ROOT);
		this.meters = meters;
	}

	Timer.Sample start() {
		return Timer.start(this.meters);
	}

	void stop(Timer.Sample sample, String call, String outcome) {
		sample.stop(this.timers.computeIfAbsent(call + " " + outcome,
				(key) -> Timer.builder("broker.remote.calls")
					.description("Calls to Marathon, Consul and libStorage")
					.tag("service", this.service)
					.tag("call", call)
					.tag("outcome", outcome)
					.register(this.meters)));
	}

}
