package io.github.redisonmesos.broker.instance;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.broker.records.Versioned;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts the instance records by state: {@code broker.instances} ({@code state}:
 * {@code provisioning}, {@code ready}, {@code updating}, {@code deprovisioning},
 * {@code failed}, {@code removed}).
 */
@Component
public class InstanceCensus {

	private final EnumGauges<State> gauges;

	public InstanceCensus(MeterRegistry meters) {
		this.gauges = new EnumGauges<>(meters, "broker.instances", "state", State.class,
				"Instance records by state, at the last reconciliation");
	}

	/**
	 * Count the records and set the gauges.
	 * @param records every instance record, tombstones included
	 */
	public void count(List<Versioned<InstanceRecord>> records) {
		Map<State, Integer> counts = new EnumMap<>(State.class);
		records.forEach((current) -> counts.merge(State.of(current.value()), 1, Integer::sum));
		this.gauges.set(counts);
	}

	private enum State {

		PROVISIONING, READY, UPDATING, DEPROVISIONING, FAILED, REMOVED;

		static State of(InstanceRecord record) {
			if (record.removed()) {
				return REMOVED;
			}
			Operation operation = record.operation();
			if (operation.state() == Operation.State.FAILED) {
				return FAILED;
			}
			if (operation.state() == Operation.State.SUCCEEDED) {
				return READY;
			}
			return switch (operation.type()) {
				case PROVISION -> PROVISIONING;
				case UPDATE -> UPDATING;
				case DEPROVISION -> DEPROVISIONING;
			};
		}

	}

}
