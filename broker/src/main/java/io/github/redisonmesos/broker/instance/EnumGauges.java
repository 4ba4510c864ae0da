package io.github.redisonmesos.broker.instance;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One gauge per value of an enum, tagged with the value's lower-case name, each set to
 * what the last reconciliation found.
 *
 * @param <E> the enum
 */
public final class EnumGauges<E extends Enum<E>> {

	private final Map<E, AtomicInteger> values;

	public EnumGauges(MeterRegistry meters, String name, String tag, Class<E> type, String description) {
		this.values = new EnumMap<>(type);
		for (E value : type.getEnumConstants()) {
			AtomicInteger count = new AtomicInteger();
			this.values.put(value, count);
			Gauge.builder(name, count, AtomicInteger::get)
				.description(description)
				.tag(tag, value.name().toLowerCase(Locale.ROOT))
				.register(meters);
		}
	}

	public void set(Map<E, Integer> counts) {
		this.values.forEach((value, gauge) -> gauge.set(counts.getOrDefault(value, 0)));
	}

}
