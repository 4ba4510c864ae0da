package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * An app that keeps writing through a restart, roll or failover: one key after another
 * ({@link #PACE} apart), each counted once Redis acknowledged it (and, with replicas,
 * once {@code WAIT} says that many replicas have it), retried shortly while Redis
 * refuses; it measures the longest time between two acknowledged writes.
 */
final class AcknowledgedWriter implements AutoCloseable {

	/**
	 * The pause after each write: about 150 writes a second, far more than a gap of a
	 * second needs to show, for a fraction of the CPU. Unpaced, one writer kept a core
	 * busy between itself and the Redis nodes (416,000 {@code WAIT 1} writes in 97 s),
	 * which the other tests side by side on 2 cores paid for.
	 */
	static final Duration PACE = Duration.ofMillis(5);

	private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());

	private final List<String> gaps = Collections.synchronizedList(new ArrayList<>());

	private final AtomicBoolean stop = new AtomicBoolean();

	private final AtomicLong longestGapMillis = new AtomicLong();

	private final long origin = System.nanoTime();

	private final Thread thread;

	/**
	 * Start writing.
	 * @param client the app's client (it reconnects itself: a pool, or Sentinel-aware)
	 * @param replicas replicas each write must reach ({@code WAIT}), 0 for a single Redis
	 * @param prefix the keys' prefix
	 */
	AcknowledgedWriter(UnifiedJedis client, int replicas, String prefix) {
		this.thread = new Thread(() -> write(client, replicas, prefix), prefix + "-writer");
		this.thread.start();
	}

	private void write(UnifiedJedis client, int replicas, String prefix) {
		try (client) {
			long last = System.nanoTime();
			for (int i = 0; !this.stop.get(); i++) {
				String key = prefix + "-" + i;
				try {
					client.set(key, "v");
					if (replicas == 0 || client.waitReplicas(key, replicas, 1000) >= replicas) {
						this.acknowledged.add(key);
						long now = System.nanoTime();
						this.longestGapMillis.accumulateAndGet((now - last) / 1_000_000, Math::max);
						if (now - last > Duration.ofSeconds(1).toNanos()) {
							this.gaps.add(String.format("%d ms without an acknowledged write, until %d ms",
									(now - last) / 1_000_000, (now - this.origin) / 1_000_000));
						}
						last = now;
					}
					LockSupport.parkNanos(PACE.toNanos());
				}
				catch (JedisException ex) {
					// refused (a node restarting, the switch-over): try again shortly
					LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
				}
			}
		}
	}

	/**
	 * The keys written and acknowledged so far.
	 * @return their names
	 */
	List<String> acknowledged() {
		return List.copyOf(this.acknowledged);
	}

	/**
	 * The longest time between two acknowledged writes so far.
	 * @return milliseconds
	 */
	long longestGapMillis() {
		return this.longestGapMillis.get();
	}

	/**
	 * Each time above a second without an acknowledged write, and when it ended.
	 * @return one line each
	 */
	List<String> gaps() {
		return List.copyOf(this.gaps);
	}

	/**
	 * Milliseconds since the writer started, for timelines printed beside the gaps.
	 * @return the time
	 */
	long elapsedMillis() {
		return (System.nanoTime() - this.origin) / 1_000_000;
	}

	@Override
	public void close() throws InterruptedException {
		this.stop.set(true);
		this.thread.join(Duration.ofSeconds(10).toMillis());
	}

}
