package io.github.redisonmesos.broker.instance.operations;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import io.github.redisonmesos.broker.instance.Operation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code broker.operations}: how long provisions, updates and deprovisions took from the
 * request to their end, by type and final state. Recorded by the broker whose write of
 * the final state won, so each operation counts once however many brokers poll it.
 */
@Component
class OperationMetrics {

	private final MeterRegistry meters;

	private final Clock clock;

	OperationMetrics(MeterRegistry meters, Clock clock) {
		this.meters = meters;
		this.clock = clock;
	}

	void finished(Operation operation) {
		Timer.builder("broker.operations")
			.description("Asynchronous operations from the request to succeeded or failed")
			.tag("type", operation.type().token())
			.tag("state", operation.state().name().toLowerCase(Locale.ROOT))
			.register(this.meters)
			.record(Duration.between(operation.startedAt(), this.clock.instant()));
	}

}
