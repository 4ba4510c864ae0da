package io.github.redisonmesos.proof.failover;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * With the {@code ha} profile (Spring's Sentinel settings from the binding,
 * {@code application-ha.properties}): counts from start to stop with
 * {@code StringRedisTemplate}, each INCR followed by {@code WAIT 1} on the same
 * connection, one {@link CountLine} per attempt, pausing {@link CountLine#PAUSE_MILLIS}
 * after each.
 */
@Component
@Profile("ha")
class AcknowledgedCounter implements SmartLifecycle {

	private static final String KEY = "spring-boot-proof:acknowledged";

	private static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);

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
					Long count = connection.stringCommands().incr(KEY_BYTES);
					CountLine.acknowledged(count, waitForReplica(connection));
					return null;
				});
			}
			catch (RuntimeException ex) {
				CountLine.failed(ex);
			}
			pause();
		}
	}

	// WAIT through Lettuce itself: Spring Data Redis's execute(String, byte[]...) reads
	// every reply as bytes, not WAIT's integer; the native connection is the one INCR
	// went on
	@SuppressWarnings("unchecked")
	private static Long waitForReplica(RedisConnection connection) {
		BaseRedisAsyncCommands<byte[], byte[]> commands = (BaseRedisAsyncCommands<byte[], byte[]>) connection
			.getNativeConnection();
		return LettuceFutures.awaitOrCancel(commands.waitForReplication(1, CountLine.WAIT_MILLIS),
				CountLine.WAIT_MILLIS + 5000, TimeUnit.MILLISECONDS);
	}

	private static void pause() {
		try {
			Thread.sleep(CountLine.PAUSE_MILLIS);
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
