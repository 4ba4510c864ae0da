package io.github.redisonmesos.broker.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves forward, so timeouts are tested without waiting.
 */
public class MutableClock extends Clock {

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public synchronized Instant instant() {
		return this.now;
	}

	public synchronized void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

}
