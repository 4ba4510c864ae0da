package io.github.redisonmesos.counter.counting;

import java.time.Duration;
import java.util.Locale;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a request waits for Redis when it cannot count at once (Redis moving,
 * restarting, or not yet listed by Consul), and how many may wait together.
 *
 * @param maxWait the most a request waits for the watch to deliver a Redis it can count
 * on; past it, 503 with the reason. Unset: {@value #SINGLE_DEFAULT} for a single Redis (a
 * Marathon restart takes Consul about 1.5 s to follow) and {@value #HA_DEFAULT} for an
 * {@code ha} binding (a failover with the plan's Sentinel defaults, down-after 5 s: see
 * the README)
 * @param maxWaiting how many requests may wait at once; beyond that a request that cannot
 * count (and whose attempt cannot have counted) answers 503 at once. A waiting request
 * holds no web server thread, only memory (its connection, request and the few objects of
 * its wait: see the README), so this bounds memory, not threads
 */
@Validated
@ConfigurationProperties("counter.wait")
record WaitProperties(@DurationMin(millis = 0) @DurationMax(minutes = 1) Duration maxWait,
		@DefaultValue("256") @Min(0) int maxWaiting) {

	static final String SINGLE_DEFAULT = "3s";

	static final String HA_DEFAULT = "15s";

	/**
	 * How long a request waits at most.
	 * @param ha whether the app follows a primary through Sentinel
	 * @return {@code counter.wait.max-wait}, or its default for the kind of binding
	 */
	Duration maxWait(boolean ha) {
		if (this.maxWait != null) {
			return this.maxWait;
		}
		return Duration.parse("PT" + (ha ? HA_DEFAULT : SINGLE_DEFAULT).toUpperCase(Locale.ROOT));
	}

}
