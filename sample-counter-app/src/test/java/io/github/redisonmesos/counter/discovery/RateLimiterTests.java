package io.github.redisonmesos.counter.discovery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private final AtomicLong now = new AtomicLong(1_000 * SECOND);

	private final RateLimiter limiter = new RateLimiter(Duration.ofSeconds(1), 2, this.now::get);

	@Test
	void allowsABurstOfTwoThenOnePerInterval() {
		assertThat(this.limiter.reserve()).isZero();
		assertThat(this.limiter.reserve()).isZero();
		assertThat(this.limiter.reserve()).isEqualTo(SECOND);
		assertThat(this.limiter.reserve()).isEqualTo(2 * SECOND);
	}

	@Test
	void refillsWithTimeButNeverAboveTheBurst() {
		this.limiter.reserve();
		this.limiter.reserve();
		this.now.addAndGet(10 * SECOND);

		assertThat(this.limiter.reserve()).isZero();
		assertThat(this.limiter.reserve()).isZero();
		assertThat(this.limiter.reserve()).isEqualTo(SECOND);
	}

}
