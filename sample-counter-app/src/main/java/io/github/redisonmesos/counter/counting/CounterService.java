package io.github.redisonmesos.counter.counting;

import java.time.Duration;

import io.github.redisonmesos.counter.binding.ConsulBinding;
import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.RedisEndpoint;
import io.github.redisonmesos.counter.discovery.Resolution;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.stereotype.Service;

/**
 * Counts one visit, exactly once: the request's increment (see
 * {@link IdempotentIncrement}) on the Redis the watch last saw. When that Redis cannot be
 * reached, or Consul lists none, the request waits (bounded by
 * {@code counter.wait.max-wait}, in one of {@code counter.wait.max-waiting} seats) for
 * the watch to deliver one it can count on, retrying with the same request id; only then
 * does it give up with the reason.
 */
@Service
class CounterService {

	static final String KEY = "counter";

	private static final Logger logger = LoggerFactory.getLogger(CounterService.class);

	// between two attempts on an endpoint that refuses connections while Consul still
	// lists it: a refused connect costs microseconds, Consul takes about 1.5 s to follow
	// a Marathon restart
	private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

	private final EndpointWatch watch;

	private final RedisPools pools;

	private final ConsulBinding binding;

	private final IdempotentIncrement increments;

	private final WaitingRoom waitingRoom;

	private final CounterMetrics metrics;

	private final long maxWaitNanos;

	// the last answer's time, formatted: requests between two answers share it
	private volatile Confirmed confirmed;

	CounterService(EndpointWatch watch, RedisPools pools, ConsulBinding binding, IdempotentIncrement increments,
			WaitingRoom waitingRoom, CounterMetrics metrics, WaitProperties waits) {
		this.watch = watch;
		this.pools = pools;
		this.binding = binding;
		this.increments = increments;
		this.waitingRoom = waitingRoom;
		this.metrics = metrics;
		this.maxWaitNanos = waits.maxWait().toNanos();
	}

	CounterReading increment() {
		String requestId = this.increments.newRequestId();
		long deadline = System.nanoTime() + this.maxWaitNanos;
		boolean seated = false;
		Resolution resolution = this.watch.current();
		try {
			while (true) {
				Failure failure;
				if (resolution instanceof Resolved resolved) {
					JedisPooled pool = this.pools.poolFor(resolved.endpoint());
					try {
						long value = this.increments.increment(pool, requestId);
						this.metrics.counted(resolved.endpoint(), seated);
						return reading(resolved, value);
					}
					catch (JedisException ex) {
						if (this.pools.isRetired(pool) && System.nanoTime() < deadline) {
							// Redis moved between reading the endpoint and borrowing a
							// connection: nothing was sent, the new pool is in place
							resolution = this.watch.current();
							continue;
						}
						failure = redisFailure(resolved.endpoint(), ex);
					}
				}
				else {
					failure = unresolved((Unresolved) resolution);
				}
				if (!seated) {
					if (!this.waitingRoom.tryEnter()) {
						throw unavailable(failure.withCap(this.waitingRoom.seats()), true);
					}
					seated = true;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw unavailable(failure.afterWaiting(this.maxWaitNanos), false);
				}
				resolution = next(resolution, failure, left);
			}
		}
		finally {
			if (seated) {
				this.waitingRoom.leave();
			}
		}
	}

	private Resolution next(Resolution failed, Failure failure, long left) {
		Resolution now = failed;
		if (failure.askConsul()) {
			now = this.watch.reresolve();
		}
		if (now != failed && !sameEndpoint(now, failed)) {
			return now;
		}
		// nothing new: wait for the watch, a little while when the same endpoint may come
		// back, or as long as there is time when there is no endpoint at all
		long wait = (failed instanceof Resolved) ? Math.min(left, RETRY_PAUSE.toNanos()) : left;
		try {
			return this.watch.awaitChange(now, Duration.ofNanos(wait));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(failure, false);
		}
	}

	private static boolean sameEndpoint(Resolution a, Resolution b) {
		return a instanceof Resolved ra && b instanceof Resolved rb && ra.endpoint().equals(rb.endpoint());
	}

	private Failure redisFailure(RedisEndpoint endpoint, JedisException ex) {
		String user = (this.binding.username() != null) ? " as user '" + this.binding.username() + "'" : "";
		JedisAccessControlException refusedAccess = cause(ex, JedisAccessControlException.class);
		if (refusedAccess != null) {
			// revoked credentials do not come back by waiting: say so at once
			throw unavailable(
					new Failure(FailureKind.REDIS_AUTH_FAILED,
							"Redis at " + endpoint + " refused this app" + user + ": " + refusedAccess.getMessage()
									+ ". The binding's credentials are no longer valid "
									+ "(was the service unbound?): bind the service again and restage the app",
							false),
					false);
		}
		if (cause(ex, JedisConnectionException.class) == null && !isTransient(ex)) {
			throw unavailable(
					new Failure(FailureKind.REDIS_REFUSED,
							"Redis at " + endpoint + " refused the increment" + user + ": " + ex.getMessage(), false),
					false);
		}
		this.pools.discardIdle(endpoint);
		logger.debug("event=redis_attempt_failed endpoint={} action=wait_and_retry error=\"{}\"", endpoint,
				ex.getMessage());
		return new Failure(
				FailureKind.REDIS_UNREACHABLE, "Tried to count on Redis at " + endpoint + user
						+ ", asked Consul again for " + this.watch.describe() + " and retried: " + ex.getMessage(),
				true);
	}

	// Redis answers these while it starts or is busy: worth waiting for
	private static boolean isTransient(JedisException ex) {
		JedisDataException data = cause(ex, JedisDataException.class);
		if (data == null || data.getMessage() == null) {
			return !(ex instanceof JedisDataException);
		}
		String message = data.getMessage();
		return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")
				|| message.startsWith("MASTERDOWN");
	}

	private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

	private static Failure unresolved(Unresolved unresolved) {
		FailureKind kind = switch (unresolved.reason()) {
			case CONSUL_UNREACHABLE -> FailureKind.CONSUL_UNREACHABLE;
			case NO_PASSING_INSTANCE -> FailureKind.NO_PASSING_INSTANCE;
		};
		return new Failure(kind, unresolved.message(), false);
	}

	private CounterReading reading(Resolved resolved, long value) {
		RedisEndpoint endpoint = resolved.endpoint();
		Confirmed last = this.confirmed;
		if (last == null || last.resolved() != resolved) {
			last = new Confirmed(resolved, resolved.resolvedAt().toString());
			this.confirmed = last;
		}
		return new CounterReading(this.binding.consulHost(), this.binding.consulPort(), this.binding.datacenter(),
				endpoint.host(), endpoint.port(), this.binding.username(), value, last.at());
	}

	private CounterUnavailableException unavailable(Failure failure, boolean atWaitingCap) {
		this.metrics.unavailable(failure.kind(), atWaitingCap);
		logger.warn("event=count_failed kind={} waiting_cap={} message=\"{}\"", failure.kind().wireName(), atWaitingCap,
				failure.message());
		return new CounterUnavailableException(failure.kind(), failure.message(), null);
	}

	private record Confirmed(Resolved resolved, String at) {
	}

	/**
	 * Why an attempt could not count.
	 *
	 * @param kind the 503's error
	 * @param message what was tried
	 * @param askConsul whether Redis failed at the endpoint in use, so Consul should be
	 * asked again at once rather than waited for
	 */
	private record Failure(FailureKind kind, String message, boolean askConsul) {

		Failure afterWaiting(long waitedNanos) {
			return new Failure(this.kind, this.message + " (waited " + Duration.ofNanos(waitedNanos).toMillis()
					+ " ms for Redis, counter.wait.max-wait)", this.askConsul);
		}

		Failure withCap(int seats) {
			return new Failure(this.kind,
					this.message + " (not waiting: all " + seats
							+ " seats for requests waiting for Redis are taken, counter.wait.max-waiting)",
					this.askConsul);
		}

	}

}
