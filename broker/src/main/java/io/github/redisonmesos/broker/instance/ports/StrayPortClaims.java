package io.github.redisonmesos.broker.instance.ports;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.ProvisionProperties;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Gives back the ports that no live instance holds: a claim left by a broker that crashed
 * between claiming a port and writing the instance record, or between the tombstone of a
 * deprovision and the port's release. A claim younger than
 * {@code broker.provision.timeout} is left alone: its provision may still be writing the
 * record.
 */
@Component
public class StrayPortClaims {

	private static final Logger logger = LoggerFactory.getLogger(StrayPortClaims.class);

	private final PortClaims claims;

	private final Duration grace;

	private final Clock clock;

	public StrayPortClaims(PortClaims claims, ProvisionProperties properties, Clock clock) {
		this.claims = claims;
		this.grace = properties.timeout();
		this.clock = clock;
	}

	/**
	 * Release the claims of ports that no live record holds.
	 * @param records every instance record, tombstones included
	 * @return how many claims were given back
	 */
	public int release(List<Versioned<InstanceRecord>> records) {
		Map<String, InstanceRecord> live = records.stream()
			.map(Versioned::value)
			.filter((record) -> !record.removed())
			.collect(Collectors.toMap(InstanceRecord::instanceId, Function.identity()));
		int released = 0;
		for (PortClaims.Claim claim : this.claims.all()) {
			InstanceRecord holder = live.get(claim.instanceId());
			boolean held = holder != null && holder.ports().contains(claim.port());
			if (!held && claim.claimedAt().plus(this.grace).isBefore(this.clock.instant())) {
				this.claims.release(claim.port(), claim.instanceId());
				logger.warn("event=stray_port_released port={} instance_id={}", claim.port(), claim.instanceId());
				released++;
			}
		}
		return released;
	}

}
