package io.github.redisonmesos.counter.discovery;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the Consul watch behaves.
 *
 * @param queryWait how long one blocking query may wait for a change; Consul caps it at
 * 10 minutes, and 55 s stays under the 60 s idle timeout of common proxies
 * @param minInterval the watch's pace when Consul answers at once (bursts of 2 allowed),
 * and the least time between two re-resolutions triggered by Redis errors
 * @param maxBackoff the longest pause between attempts while Consul is unreachable
 * @param connectTimeout how long to wait for a connection to Consul
 */
@Validated
@ConfigurationProperties("counter.watch")
record WatchProperties(@DefaultValue("55s") @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration queryWait,
		@DefaultValue("1s") @DurationMin(millis = 10) Duration minInterval,
		@DefaultValue("15s") @DurationMin(millis = 10) Duration maxBackoff,
		@DefaultValue("2s") @DurationMin(millis = 10) Duration connectTimeout) {

	/**
	 * Consul adds up to {@code queryWait / 16} of jitter to a blocking query: the read
	 * timeout must outlast that, with a margin for the network.
	 * @return the socket read timeout for Consul requests
	 */
	Duration readTimeout() {
		return this.queryWait.plus(this.queryWait.dividedBy(16)).plus(this.connectTimeout);
	}

}
