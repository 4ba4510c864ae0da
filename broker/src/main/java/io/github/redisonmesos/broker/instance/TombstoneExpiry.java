package io.github.redisonmesos.broker.instance;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Forgets the tombstones of deprovisions older than
 * {@code broker.provision.remember-removed}: until then a poll of that deprovision
 * answers {@code succeeded}, afterwards 410 Gone.
 */
@Component
public class TombstoneExpiry {

	private static final Logger logger = LoggerFactory.getLogger(TombstoneExpiry.class);

	private final InstanceRecords instances;

	private final Duration rememberRemoved;

	private final Clock clock;

	TombstoneExpiry(InstanceRecords instances, ProvisionProperties properties, Clock clock) {
		this.instances = instances;
		this.rememberRemoved = properties.rememberRemoved();
		this.clock = clock;
	}

	/**
	 * Delete the tombstones whose time has passed, unless they changed since read.
	 * @param records every instance record, tombstones included
	 * @return how many were forgotten
	 */
	public int expire(List<Versioned<InstanceRecord>> records) {
		int forgotten = 0;
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			if (record.removed() && record.removedAt().plus(this.rememberRemoved).isBefore(this.clock.instant())
					&& this.instances.delete(current)) {
				logger.info("event=tombstone_forgotten instance_id={}", record.instanceId());
				forgotten++;
			}
		}
		return forgotten;
	}

}
