package io.github.redisonmesos.broker.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The backups' Prometheus metrics: {@code broker_backups_total{outcome}},
 * {@code broker_backups_size_bytes}, {@code broker_backups_duration_seconds} and, per
 * instance, {@code broker_backups_newest_age_seconds{instance_id}} (the age of its newest
 * complete backup: alert on it, e.g. above two days).
 */
@Component
class BackupMetrics {

	private final Counter complete;

	private final Counter failed;

	private final DistributionSummary size;

	private final Timer duration;

	private final MultiGauge newestAge;

	private final Clock clock;

	BackupMetrics(MeterRegistry registry, Clock clock) {
		this.complete = Counter.builder("broker.backups").tag("outcome", "complete").register(registry);
		this.failed = Counter.builder("broker.backups").tag("outcome", "failed").register(registry);
		this.size = DistributionSummary.builder("broker.backups.size").baseUnit("bytes").register(registry);
		this.duration = Timer.builder("broker.backups.duration").register(registry);
		this.newestAge = MultiGauge.builder("broker.backups.newest.age").baseUnit("seconds").register(registry);
		this.clock = clock;
	}

	void completed(long bytes, Duration took) {
		this.complete.increment();
		this.size.record(bytes);
		this.duration.record(took);
	}

	void failed() {
		this.failed.increment();
	}

	/**
	 * Set the age of each instance's newest complete backup.
	 * @param newest by instance id, when its newest complete backup was taken
	 */
	void newest(Map<String, Instant> newest) {
		Instant now = this.clock.instant();
		List<MultiGauge.Row<?>> rows = newest.entrySet()
			.stream().<MultiGauge
					.Row<?>>map(
							(entry) -> MultiGauge.Row.of(Tags.of("instance_id", entry.getKey()),
									Duration.between(entry.getValue(), now).toSeconds()))
			.toList();
		this.newestAge.register(rows, true);
	}

}
