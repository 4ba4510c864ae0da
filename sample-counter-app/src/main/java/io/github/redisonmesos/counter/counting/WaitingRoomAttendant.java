package io.github.redisonmesos.counter.counting;

import java.time.Duration;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * One thread for all the requests waiting for Redis: it waits for the watch to deliver a
 * new answer (or {@value #RETRY_PAUSE_MILLIS} ms, for an endpoint Consul still names
 * while it refuses connections), then gives each waiting request one more attempt, in
 * arrival order, and answers those whose time is up. After the first attempt that fails
 * on an endpoint, the others of that round do not try it: a Redis that hangs costs one
 * command timeout per round, not one per request.
 */
final class WaitingRoomAttendant implements SmartLifecycle {

	// between two rounds on an endpoint that refuses connections while Consul still
	// lists it: a refused connect costs microseconds, Consul takes about 1.5 s to follow
	// a Marathon restart; also how late a request that is due answers at most
	static final long RETRY_PAUSE_MILLIS = 50;

	private static final Duration RETRY_PAUSE = Duration.ofMillis(RETRY_PAUSE_MILLIS);

	private static final Logger logger = LoggerFactory.getLogger(WaitingRoomAttendant.class);

	private final WaitingRoom room;

	private final CounterService counterService;

	private final EndpointWatch watch;

	private volatile Thread thread;

	WaitingRoomAttendant(WaitingRoom room, CounterService counterService, EndpointWatch watch) {
		this.room = room;
		this.counterService = counterService;
		this.watch = watch;
	}

	@Override
	public void start() {
		Thread attendant = new Thread(this::attend, "counter-waiting-room");
		attendant.setDaemon(true);
		this.thread = attendant;
		attendant.start();
	}

	@Override
	public void stop() {
		Thread attendant = this.thread;
		this.thread = null;
		if (attendant != null) {
			attendant.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	private void attend() {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				this.room.awaitArrival();
				Resolution now = this.watch.current();
				if (round(now)) {
					// Redis failed at the endpoint the watch named: ask again at once
					// (shared with other callers, at most one per min-interval)
					Resolution asked = this.watch.reresolve();
					if (!sameEndpoint(asked, now)) {
						continue;
					}
					now = asked;
				}
				if (!this.room.isEmpty()) {
					this.watch.awaitChange(now, RETRY_PAUSE);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			// never leave requests waiting without an attendant
			logger.error("event=waiting_room_failed", ex);
			start();
		}
	}

	// true when an attempt failed at the endpoint in use and the watch should ask again
	private boolean round(Resolution now) {
		boolean[] endpointFailed = new boolean[1];
		this.room.visit((waiter) -> {
			if (this.counterService.answerIfDue(waiter, System.nanoTime())) {
				return false;
			}
			if (endpointFailed[0] && now instanceof Resolved) {
				return true;
			}
			if (this.counterService.retry(waiter, now)) {
				return false;
			}
			endpointFailed[0] = waiter.failure().reresolve();
			return true;
		});
		return endpointFailed[0];
	}

	private static boolean sameEndpoint(Resolution a, Resolution b) {
		return a instanceof Resolved ra && b instanceof Resolved rb && ra.endpoint().equals(rb.endpoint());
	}

}
