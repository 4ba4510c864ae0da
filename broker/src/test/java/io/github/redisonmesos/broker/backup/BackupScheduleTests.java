package io.github.redisonmesos.broker.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the schedule backs an instance up: once per interval at the instance's own offset,
 * spread over the interval.
 */
class BackupScheduleTests {

	private static final Duration DAY = Duration.ofHours(24);

	private static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

	@Test
	void aThousandInstancesAreSpreadOverTheInterval() {
		BackupSchedule schedule = schedule();
		int[] perHour = new int[24];
		for (int i = 0; i < 1000; i++) {
			InstanceRecord instance = instance(UUID.randomUUID().toString());
			// the hour of the day in which each turns due after a backup at midnight
			for (int hour = 0; hour < 24; hour++) {
				if (schedule.due(instance, List.of(backupAt(START)), START.plus(Duration.ofHours(hour + 1)))) {
					perHour[hour]++;
					break;
				}
			}
		}
		assertThat(java.util.Arrays.stream(perHour).boxed().toList()).hasSize(24)
			.allSatisfy((count) -> assertThat(count).isBetween(10, 90));
	}

	@Test
	void anInstanceIsDueOncePerIntervalAndAgainAfterAFailure() {
		BackupSchedule schedule = schedule();
		InstanceRecord instance = instance(UUID.randomUUID().toString());
		Instant firstDue = START;
		while (!schedule.due(instance, List.of(), firstDue)) {
			firstDue = firstDue.plus(Duration.ofMinutes(1));
		}
		assertThat(firstDue).isBetween(START, START.plus(DAY));
		BackupRecord taken = backupAt(firstDue);
		assertThat(schedule.due(instance, List.of(taken), firstDue.plus(Duration.ofMinutes(1)))).isFalse();
		assertThat(schedule.due(instance, List.of(taken), firstDue.plus(DAY).minus(Duration.ofMinutes(2)))).isFalse();
		assertThat(schedule.due(instance, List.of(taken), firstDue.plus(DAY).plus(Duration.ofMinutes(1)))).isTrue();
	}

	private static BackupSchedule schedule() {
		TestBroker broker = new TestBroker();
		broker.clock.advance(Duration.between(broker.clock.instant(), START));
		return new BackupSchedule(broker.instances, null, null, null, null, null, null,
				BackupTakerTests.properties("http://127.0.0.1:9", 7), broker.clock);
	}

	private static InstanceRecord instance(String id) {
		return new InstanceRecord(id, TestBroker.SERVICE_ID, TestBroker.SMALL, "org", "space", Map.of(), 1, null, null,
				null);
	}

	private static BackupRecord backupAt(Instant at) {
		return new BackupRecord("i", "b", "p", "s", "7.0.15", "k", null, BackupRecord.BackupState.FAILED, at, at, 0,
				null, "failed");
	}

}
