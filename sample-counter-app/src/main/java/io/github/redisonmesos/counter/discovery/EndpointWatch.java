package io.github.redisonmesos.counter.discovery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps the current Redis endpoint fresh with a blocking loop on a daemon thread (a
 * Consul blocking query; for an {@code ha} binding, a Sentinel's {@code +switch-master}
 * subscription), so requests read {@link #current()} without calling either.
 */
public final class EndpointWatch implements SmartLifecycle {

	private final EndpointLookup lookup;

	private final WatchProperties properties;

	private final RateLimiter limiter;

	private final KnownEndpoint known;

	private volatile boolean running;

	private volatile long lastReresolveNanos;

	private final AtomicLong reresolutions = new AtomicLong();

	private Thread thread;

	EndpointWatch(EndpointLookup lookup, WatchProperties properties, Clock clock) {
		this.lookup = lookup;
		this.properties = properties;
		this.limiter = new RateLimiter(properties.minInterval(), 2, System::nanoTime);
		this.known = new KnownEndpoint(lookup.noneListed(), lookup.unreachable(), clock);
		this.lastReresolveNanos = System.nanoTime() - properties.minInterval().toNanos();
	}

	/**
	 * The endpoint as last reported by the lookup; never calls it.
	 * @return the current resolution
	 */
	public Resolution current() {
		return this.known.current();
	}

	/**
	 * Asks the lookup (Consul, or the Sentinels) again at once, after Redis failed at the
	 * current endpoint. Calls closer together than the watch's minimum interval share one
	 * answer, so a burst of failing requests costs one query.
	 * @return the resolution after asking
	 */
	public synchronized Resolution reresolve() {
		long now = System.nanoTime();
		if (now - this.lastReresolveNanos < this.properties.minInterval().toNanos()) {
			return this.known.current();
		}
		this.lastReresolveNanos = now;
		this.reresolutions.incrementAndGet();
		try {
			// this answer (or a newer one), not the shared state read later: the watch
			// may
			// overwrite that meanwhile
			this.known.answered(this.lookup.passingInstances(0, null), false);
			return this.known.current();
		}
		catch (EndpointLookupException ex) {
			return this.known.failed(ex);
		}
	}

	/**
	 * Waits, at most {@code max}, for Consul to answer anything after {@code seen}: a
	 * request that could not count waits here rather than failing at once.
	 * @param seen the resolution the caller could not use
	 * @param max the most to wait
	 * @return the resolution now, {@code seen} when nothing came
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	public Resolution awaitChange(Resolution seen, Duration max) throws InterruptedException {
		return this.known.awaitChange(seen, max.toNanos());
	}

	/**
	 * When Consul stopped naming an endpoint, to time how long a move took.
	 * @param endpoint an endpoint the app counted on
	 * @return the {@link System#nanoTime()} of the first answer that did not name it, -1
	 * when none has
	 */
	public long departedFrom(RedisEndpoint endpoint) {
		return this.known.departedFrom(endpoint);
	}

	/**
	 * How many times a Redis error made the app ask the lookup again at once.
	 * @return the number of re-resolutions so far
	 */
	public long reresolutions() {
		return this.reresolutions.get();
	}

	LookupContact lastContact() {
		return this.known.lastContact();
	}

	/**
	 * Says what the watch asks (Consul, or the Sentinels).
	 * @return the query, for messages
	 */
	public String describe() {
		return this.lookup.describe();
	}

	@Override
	public void start() {
		long index = 0;
		// one answer before the first request arrives; failures are the loop's to retry
		try {
			LookupResult first = this.lookup.passingInstances(0, null);
			this.known.answered(first, false);
			index = nextIndex(0, first.index());
		}
		catch (EndpointLookupException ex) {
			this.known.failed(ex);
		}
		this.running = true;
		long firstIndex = index;
		this.thread = new Thread(() -> watch(firstIndex), "consul-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread watcher = this.thread;
		if (watcher != null) {
			watcher.interrupt();
			try {
				// a blocking query in flight ends when the HTTP client closes after this
				watcher.join(Duration.ofSeconds(1).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void watch(long firstIndex) {
		long index = firstIndex;
		int failures = 0;
		boolean confirming = false;
		while (this.running) {
			try {
				this.limiter.acquire();
				LookupResult result = this.lookup.passingInstances(index, this.properties.queryWait());
				boolean taken = this.known.answered(result, confirming || result.index() < index);
				if (!taken) {
					// older than what a re-resolution brought, or Consul lost its state
					// since (its index starts over): a plain read, which always returns
					// the latest state, tells which; its answer is taken either way
					confirming = true;
					index = 0;
					continue;
				}
				confirming = false;
				index = nextIndex(index, result.index());
				failures = 0;
			}
			catch (EndpointLookupException ex) {
				if (!this.running) {
					return;
				}
				this.known.failed(ex);
				// after an error the state is unknown: the next answer must come at once
				index = 0;
				failures++;
				if (!pause(backoff(failures))) {
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Consul's rules for the next blocking index: start over when the index goes
	 * backwards, never wait on 0 once an answer was seen.
	 * @param previous the index the last query waited on
	 * @param returned the {@code X-Consul-Index} it returned
	 * @return the index for the next query
	 */
	static long nextIndex(long previous, long returned) {
		if (returned < previous) {
			return 0;
		}
		return Math.max(returned, 1);
	}

	private Duration backoff(int failures) {
		Duration delay = this.properties.minInterval().multipliedBy(1L << Math.min(failures, 16));
		return (delay.compareTo(this.properties.maxBackoff()) > 0) ? this.properties.maxBackoff() : delay;
	}

	private boolean pause(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
