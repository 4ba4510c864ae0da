package io.github.redisonmesos.counter.counting;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.counting.IdempotentIncrement.NotAcknowledgedException;
import io.github.redisonmesos.counter.counting.IdempotentIncrement.NotSentException;
import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.RedisEndpoint;
import io.github.redisonmesos.counter.discovery.Resolution;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import io.github.redisonmesos.counter.discovery.SentinelView;
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
 * reached, or Consul lists none, the request waits without a thread (bounded by
 * {@code counter.wait.max-wait}, in one of {@code counter.wait.max-waiting} seats of the
 * {@link WaitingRoom}) for the watch to deliver one it can count on, retrying with the
 * same request id; it answers 503 only when it was not counted and never will be.
 */
@Service
class CounterService {

	static final String KEY = "counter";

	private static final Logger logger = LoggerFactory.getLogger(CounterService.class);

	private final EndpointWatch watch;

	private final RedisPools pools;

	private final RedisBinding binding;

	private final IdempotentIncrement increments;

	private final WaitingRoom waitingRoom;

	private final CounterMetrics metrics;

	private final long maxWaitNanos;

	private final long maxWaitMillis;

	private final long learnNanos;

	// the last answer's time, formatted: requests between two answers share it
	private volatile Confirmed confirmed;

	CounterService(EndpointWatch watch, RedisPools pools, RedisBinding binding, IdempotentIncrement increments,
			WaitingRoom waitingRoom, CounterMetrics metrics, WaitProperties waits, RedisClientProperties redis) {
		this.watch = watch;
		this.pools = pools;
		this.binding = binding;
		this.increments = increments;
		this.waitingRoom = waitingRoom;
		this.metrics = metrics;
		Duration maxWait = waits.maxWait(binding.isHa());
		this.maxWaitNanos = maxWait.toNanos();
		this.maxWaitMillis = maxWait.toMillis();
		// a retry started by then has its answer (or its timeout) before the marker
		// expires: see CountingConfiguration
		this.learnNanos = maxWait.plus(redis.timeout()).toNanos();
	}

	/**
	 * Counts one request: at once on the Redis the watch names, or, when that cannot be
	 * done, later, from the waiting room, without holding the caller's thread.
	 * @return the reading, completed when counted at once; otherwise completed when a
	 * Redis counted it, or with {@link CounterUnavailableException} when it was not
	 * counted and never will be
	 * @throws CounterUnavailableException when waiting cannot help or no seat is free
	 */
	CompletableFuture<CounterReading> increment() {
		String requestId = this.increments.newRequestId();
		long now = System.nanoTime();
		List<String> arguments = this.increments.arguments(System.currentTimeMillis() + this.maxWaitMillis);
		Waiter waiter;
		try {
			return CompletableFuture
				.completedFuture(count(this.watch.current(), requestId, arguments, now + this.maxWaitNanos, false));
		}
		catch (AttemptFailed ex) {
			waiter = new Waiter(requestId, arguments, now + this.maxWaitNanos, now + this.learnNanos);
			waiter.failed(ex.failure, ex.mayHaveCounted);
		}
		if (waiter.outcomeUnknown()) {
			this.waitingRoom.seatBeyondCap(waiter);
		}
		else if (!this.waitingRoom.trySeat(waiter)) {
			throw unavailable(waiter.failure().withCap(this.waitingRoom.seats()), true);
		}
		return waiter.result;
	}

	/**
	 * One more attempt for a waiting request, on the Redis the watch names now.
	 * @param waiter the request
	 * @param resolution what the watch says now
	 * @return whether the request was answered (counted, or known not counted)
	 */
	boolean retry(Waiter waiter, Resolution resolution) {
		try {
			waiter.result.complete(count(resolution, waiter.requestId, waiter.arguments, waiter.deadlineNanos, true));
		}
		catch (AttemptFailed ex) {
			waiter.failed(ex.failure, ex.mayHaveCounted);
			return false;
		}
		catch (CounterUnavailableException ex) {
			waiter.result.completeExceptionally(ex);
		}
		return true;
	}

	/**
	 * Answers a waiting request whose time is up, if it may: its wait is over and no
	 * attempt can have counted, or even the marker's lifetime is running out.
	 * @param waiter the request
	 * @param now {@link System#nanoTime()}
	 * @return whether it was answered (503)
	 */
	boolean answerIfDue(Waiter waiter, long now) {
		if (now - waiter.deadlineNanos >= 0 && !waiter.outcomeUnknown()) {
			waiter.result.completeExceptionally(unavailable(waiter.failure().afterWaiting(this.maxWaitNanos), false));
			return true;
		}
		if (now - waiter.learnUntilNanos >= 0 && waiter.outcomeUnknown()) {
			waiter.result.completeExceptionally(unavailable(waiter.failure().outcomeUnknown(this.maxWaitNanos), false));
			return true;
		}
		return false;
	}

	// one attempt, again at once when Redis moved between reading the endpoint and
	// borrowing a connection (nothing was sent, the new pool is in place)
	private CounterReading count(Resolution first, String requestId, List<String> arguments, long deadline,
			boolean waited) {
		Resolution resolution = first;
		while (true) {
			if (!(resolution instanceof Resolved resolved)) {
				Unresolved unresolved = (Unresolved) resolution;
				if (unresolved.reason() == Resolution.Reason.CONSUL_ACL_DENIED) {
					// Consul answered: waiting does not change a token's policy
					throw unavailable(unresolved(unresolved), false);
				}
				throw new AttemptFailed(unresolved(unresolved), false);
			}
			JedisPooled pool = this.pools.poolFor(resolved.endpoint());
			Long value;
			try {
				value = this.increments.increment(pool, requestId, arguments);
			}
			catch (NotAcknowledgedException ex) {
				// counted on this primary, not yet safe from a failover: learn more by
				// retrying with the same id (see IdempotentIncrement)
				throw new AttemptFailed(
						new Failure(FailureKind.REDIS_UNREACHABLE, "Counted on the primary at " + resolved.endpoint()
								+ ", but " + ex.getMessage() + "; retried with the same request id", true),
						true);
			}
			catch (NotSentException ex) {
				if (this.pools.isRetired(pool) && System.nanoTime() - deadline < 0) {
					resolution = this.watch.current();
					continue;
				}
				throw new AttemptFailed(redisFailure(resolved.endpoint(), (RuntimeException) ex.getCause()), false);
			}
			catch (JedisException ex) {
				// a broken connection after the script was sent: did Redis run it?
				throw new AttemptFailed(redisFailure(resolved.endpoint(), ex),
						cause(ex, JedisConnectionException.class) != null);
			}
			if (value == null) {
				throw unavailable(new Failure(FailureKind.REDIS_UNREACHABLE,
						"Redis at " + resolved.endpoint() + " answered only after this request's deadline"
								+ " (counter.wait.max-wait, " + Duration.ofNanos(this.maxWaitNanos).toMillis()
								+ " ms): not counted, and no earlier attempt of it was",
						false), false);
			}
			this.metrics.counted(resolved.endpoint(), waited);
			return reading(resolved, value);
		}
	}

	private Failure redisFailure(RedisEndpoint endpoint, RuntimeException ex) {
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
		String asked = this.binding.isHa() ? "asked the Sentinels again for " : "asked Consul again for ";
		return new Failure(FailureKind.REDIS_UNREACHABLE, "Tried to count on Redis at " + endpoint + user + ", " + asked
				+ this.watch.describe() + " and retried: " + ex.getMessage(), true);
	}

	// Redis answers these while it starts or is busy, and a node of an ha instance while
	// a failover goes on (READONLY, NOREPLICAS): worth waiting for. None of them ran the
	// increment
	private static boolean isTransient(RuntimeException ex) {
		JedisDataException data = cause(ex, JedisDataException.class);
		if (data == null || data.getMessage() == null) {
			return !(ex instanceof JedisDataException);
		}
		String message = data.getMessage();
		return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")
				|| message.startsWith("MASTERDOWN") || message.startsWith("READONLY")
				|| message.startsWith("NOREPLICAS");
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
			case SENTINEL_UNREACHABLE -> FailureKind.SENTINEL_UNREACHABLE;
			case CONSUL_ACL_DENIED -> FailureKind.CONSUL_ACL_DENIED;
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
		SentinelView sentinel = resolved.sentinel();
		return new CounterReading(this.binding.consulHost(), this.binding.consulPort(), this.binding.datacenter(),
				endpoint.host(), endpoint.port(), this.binding.username(), value, last.at(),
				(sentinel != null) ? sentinel.role() : null, (sentinel != null) ? sentinel.sentinelsFrom() : null);
	}

	private CounterUnavailableException unavailable(Failure failure, boolean atWaitingCap) {
		this.metrics.unavailable(failure.kind(), atWaitingCap);
		logger.warn("event=count_failed kind={} waiting_cap={} message=\"{}\"", failure.kind().wireName(), atWaitingCap,
				failure.message());
		return new CounterUnavailableException(failure.kind(), failure.message(), null);
	}

	/**
	 * An attempt that did not count.
	 */
	private static final class AttemptFailed extends RuntimeException {

		private final transient Failure failure;

		private final boolean mayHaveCounted;

		AttemptFailed(Failure failure, boolean mayHaveCounted) {
			super(failure.message(), null, false, false);
			this.failure = failure;
			this.mayHaveCounted = mayHaveCounted;
		}

	}

	private record Confirmed(Resolved resolved, String at) {
	}

	/**
	 * Why an attempt could not count.
	 *
	 * @param kind the 503's error
	 * @param message what was tried
	 * @param reresolve whether Redis failed at the endpoint in use, so the watch should
	 * ask again at once (Consul, or the Sentinels) rather than wait for the next answer
	 */
	record Failure(FailureKind kind, String message, boolean reresolve) {

		Failure afterWaiting(long waitedNanos) {
			return new Failure(this.kind, this.message + " (waited " + Duration.ofNanos(waitedNanos).toMillis()
					+ " ms for Redis, counter.wait.max-wait; not counted)", this.reresolve);
		}

		Failure outcomeUnknown(long waitedNanos) {
			return new Failure(this.kind, this.message + " (waited " + Duration.ofNanos(waitedNanos).toMillis()
					+ " ms for Redis, counter.wait.max-wait, and as long again as one command may take to learn"
					+ " whether an attempt whose answer was lost counted: Redis did not answer, so it may have)",
					this.reresolve);
		}

		Failure withCap(int seats) {
			return new Failure(this.kind,
					this.message + " (not waiting: all " + seats
							+ " seats for requests waiting for Redis are taken, counter.wait.max-waiting)",
					this.reresolve);
		}

	}

}
