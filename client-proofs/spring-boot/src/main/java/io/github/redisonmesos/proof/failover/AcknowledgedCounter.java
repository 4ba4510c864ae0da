package io.github.redisonmesos.proof.failover;

import java.nio.charset.StandardCharsets;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * With the {@code ha} profile (Spring's Sentinel settings from the binding,
 * {@code application-ha.properties}): counts from start to stop with
 * {@code StringRedisTemplate}, each INCR followed by {@code WAIT 1} on the same
 * connection, one {@link CountLine} per attempt.
 */
@Component
@Profile("ha")
class AcknowledgedCounter implements SmartLifecycle {

	private static final String KEY = "spring-boot-proof:acknowledged";

	private static final byte[][] WAIT = { "1".getBytes(StandardCharsets.US_ASCII),
			String.valueOf(CountLine.WAIT_MILLIS).getBytes(StandardCharsets.US_ASCII) };

	private final StringRedisTemplate redis;

	private volatile Thread counting;

	AcknowledgedCounter(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::count, "acknowledged-counter");
		thread.start();
		this.counting = thread;
	}

	private void count() {
		while (!Thread.currentThread().isInterrupted()) {
			try {
				this.redis.execute((RedisCallback<Void>) (connection) -> {
					Long count = connection.stringCommands().incr(KEY.getBytes(StandardCharsets.UTF_8));
					CountLine.acknowledged(count, (Long) connection.execute("WAIT", WAIT));
					return null;
				});
			}
			catch (RuntimeException ex) {
				CountLine.failed(ex);
				pause();
			}
		}
	}

	// a failed attempt is retried after 20 ms, as every client of the proof does
	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		Thread thread = this.counting;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.counting = null;
	}

	@Override
	public boolean isRunning() {
		return this.counting != null;
	}

}
