package io.github.redisonmesos.counter.counting;

import java.util.concurrent.Semaphore;

/**
 * Seats for requests that wait for Redis: at most {@code counter.wait.max-waiting}, so
 * that a long outage cannot take every web server thread.
 */
final class WaitingRoom {

	private final int seats;

	private final Semaphore free;

	WaitingRoom(int seats) {
		this.seats = seats;
		this.free = new Semaphore(seats);
	}

	boolean tryEnter() {
		return this.free.tryAcquire();
	}

	void leave() {
		this.free.release();
	}

	int waiting() {
		return this.seats - this.free.availablePermits();
	}

	int seats() {
		return this.seats;
	}

}
