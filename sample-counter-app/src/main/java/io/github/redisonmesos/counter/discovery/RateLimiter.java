package io.github.redisonmesos.counter.discovery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket: bursts of {@code burst} calls, then one per interval. Keeps the watch
 * loop polite when Consul answers at once again and again (Consul's advice for blocking
 * loops).
 */
final class RateLimiter {

	private final long intervalNanos;

	private final int burst;

	private final LongSupplier nanoTime;

	private double tokens;

	private long lastRefill;

	RateLimiter(Duration interval, int burst, LongSupplier nanoTime) {
		this.intervalNanos = Math.max(1, interval.toNanos());
		this.burst = burst;
		this.nanoTime = nanoTime;
		this.tokens = burst;
		this.lastRefill = nanoTime.getAsLong();
	}

	/**
	 * Takes a token, going into debt when none is left.
	 * @return how long the caller must wait before going ahead, in nanoseconds
	 */
	synchronized long reserve() {
		long now = this.nanoTime.getAsLong();
		this.tokens = Math.min(this.burst, this.tokens + (double) (now - this.lastRefill) / this.intervalNanos);
		this.lastRefill = now;
		this.tokens -= 1;
		return (this.tokens >= 0) ? 0 : (long) (-this.tokens * this.intervalNanos);
	}

	void acquire() throws InterruptedException {
		long waitNanos = reserve();
		if (waitNanos > 0) {
			TimeUnit.NANOSECONDS.sleep(waitNanos);
		}
	}

}
