package io.github.redisonmesos.counter.discovery;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.counter.discovery.Resolution.Reason;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Consul last said about the Redis service, and whether it last answered at all:
 * turns answers and failures from the watch and from re-resolutions into one
 * {@link Resolution}, which requests read without a lock and may wait on.
 */
final class KnownEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(KnownEndpoint.class);

	private final String noneListed;

	private final Reason unreachable;

	private final Clock clock;

	private volatile Resolution state;

	private volatile LookupContact contact;

	// guarded by this: the X-Consul-Index of the answer the state comes from
	private long index;

	// guarded by this: when the state last left a Resolved endpoint (System.nanoTime)
	private Departure departure;

	KnownEndpoint(String query, Clock clock) {
		this("Consul answered but lists no " + query, Reason.CONSUL_UNREACHABLE, clock);
	}

	/**
	 * @param noneListed what an empty answer means, for messages
	 * @param unreachable the reason a failed lookup gives
	 * @param clock the clock
	 */
	KnownEndpoint(String noneListed, Reason unreachable, Clock clock) {
		this.noneListed = noneListed;
		this.unreachable = unreachable;
		this.clock = clock;
		this.state = new Unresolved(unreachable, (unreachable == Reason.CONSUL_UNREACHABLE)
				? "Consul has not been asked yet" : "The Sentinels have not been asked yet", clock.instant());
	}

	Resolution current() {
		return this.state;
	}

	LookupContact lastContact() {
		return this.contact;
	}

	/**
	 * Takes an answer, unless it is older than the one the state comes from: the watch
	 * and a re-resolution ask concurrently, and the slower of two answers may be the
	 * older one.
	 * @param result the answer
	 * @param indexReset whether the watch saw Consul's index go backwards (a Consul
	 * restart or a new leader without the old state): then lower indexes are the new
	 * normal, and the answer is taken whatever its index
	 * @return whether the answer was taken
	 */
	synchronized boolean answered(LookupResult result, boolean indexReset) {
		this.contact = LookupContact.answered(this.clock.instant(), result.index());
		if (!indexReset && result.index() < this.index) {
			logger.info("event=consul_answer_ignored reason=older_than_current index={} current_index={}",
					result.index(), this.index);
			return false;
		}
		this.index = result.index();
		Resolution previous = this.state;
		Resolution next;
		if (result.endpoints().isEmpty()) {
			next = new Unresolved(Reason.NO_PASSING_INSTANCE, this.noneListed, this.clock.instant());
		}
		else {
			// stay where we are while Consul still lists it: no needless pool swaps
			RedisEndpoint chosen = (previous instanceof Resolved resolved
					&& result.endpoints().contains(resolved.endpoint())) ? resolved.endpoint()
							: result.endpoints().get(0);
			next = new Resolved(chosen, this.clock.instant(), result.sentinel());
		}
		change(previous, next, result.index());
		return true;
	}

	synchronized Resolution failed(EndpointLookupException ex) {
		this.contact = LookupContact.failed(this.clock.instant(), ex.getMessage());
		Resolution previous = this.state;
		// a known endpoint stays usable while Consul is away; a Redis error makes the app
		// ask again
		if (!(previous instanceof Resolved)) {
			Reason reason = (ex instanceof ConsulAclFilteredException) ? Reason.CONSUL_ACL_DENIED : this.unreachable;
			change(previous, new Unresolved(reason, ex.getMessage(), this.clock.instant()), 0);
		}
		logger.warn("event=consul_lookup_failed kept_endpoint={} error=\"{}\"", previous instanceof Resolved,
				ex.getMessage());
		return this.state;
	}

	/**
	 * Waits until the state is no longer {@code seen} (any new answer counts, even one
	 * naming the same endpoint) or the time is up.
	 * @param seen the state the caller acted on
	 * @param nanos the most to wait
	 * @return the state now
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	synchronized Resolution awaitChange(Resolution seen, long nanos) throws InterruptedException {
		long deadline = System.nanoTime() + nanos;
		long left = nanos;
		while (this.state == seen && left > 0) {
			TimeUnit.NANOSECONDS.timedWait(this, left);
			left = deadline - System.nanoTime();
		}
		return this.state;
	}

	/**
	 * When Consul's answers stopped naming {@code endpoint}, for the time a move takes.
	 * @param endpoint an endpoint the app used
	 * @return the {@link System#nanoTime()} of the first answer that did not name it, or
	 * -1 when none has
	 */
	synchronized long departedFrom(RedisEndpoint endpoint) {
		Departure left = this.departure;
		return (left != null && left.from().equals(endpoint)) ? left.atNanos() : -1;
	}

	// callers hold the lock
	private void change(Resolution previous, Resolution next, long index) {
		this.state = next;
		notifyAll();
		String before = summary(previous);
		String after = summary(next);
		if (before.equals(after)) {
			return;
		}
		if (previous instanceof Resolved resolved) {
			this.departure = new Departure(resolved.endpoint(), System.nanoTime());
		}
		logger.info("event=redis_endpoint_changed from={} to={} consul_index={}", before, after, index);
	}

	private static String summary(Resolution resolution) {
		if (resolution instanceof Resolved resolved) {
			return resolved.endpoint().toString();
		}
		return ((Unresolved) resolution).reason().name().toLowerCase(Locale.ROOT);
	}

	private record Departure(RedisEndpoint from, long atNanos) {
	}

}
