package io.github.redisonmesos.broker.instance.operations;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.ProvisionProperties;
import io.github.redisonmesos.broker.instance.volumes.VolumeReclamation;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Forgets the tombstones of deprovisions older than
 * {@code broker.provision.remember-removed}: until then a poll of that deprovision
 * answers {@code succeeded}, afterwards 410 Gone. A tombstone whose volumes the broker
 * has yet to delete is kept until they are gone.
 */
@Component
public class TombstoneExpiry {

	private static final Logger logger = LoggerFactory.getLogger(TombstoneExpiry.class);

	private final InstanceRecords instances;

	private final Duration rememberRemoved;

	private final VolumeReclamation volumes;

	private final Clock clock;

	TombstoneExpiry(InstanceRecords instances, ProvisionProperties properties, VolumeReclamation volumes, Clock clock) {
		this.instances = instances;
		this.volumes = volumes;
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
					&& !this.volumes.keeps(record) && this.instances.delete(current)) {
				logger.info("event=tombstone_forgotten instance_id={} volumes={} volume_state={}", record.instanceId(),
						String.join(",", record.volumeNames()), record.volumeState().name().toLowerCase(Locale.ROOT));
				forgotten++;
			}
		}
		return forgotten;
	}

}
