package io.github.redisonmesos.counter.counting;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The requests that wait for Redis, each without a thread: at most
 * {@code counter.wait.max-waiting} of them, so that a long outage is bounded in memory.
 * Requests come in from web server threads; one thread, the
 * {@link WaitingRoomAttendant}'s, goes through them.
 */
final class WaitingRoom {

	private final int seats;

	private final AtomicInteger taken = new AtomicInteger();

	private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	// the thread that goes through the waiting requests, woken when one comes in
	private volatile Thread attendant;

	WaitingRoom(int seats) {
		this.seats = seats;
	}

	/**
	 * Seats a request that was not counted, when a seat is free.
	 * @param waiter the request
	 * @return whether it waits; otherwise it should answer at once
	 */
	boolean trySeat(Waiter waiter) {
		int now;
		do {
			now = this.taken.get();
			if (now >= this.seats) {
				return false;
			}
		}
		while (!this.taken.compareAndSet(now, now + 1));
		enqueue(waiter);
		return true;
	}

	/**
	 * Seats a request whatever the cap says: one whose attempt may have counted must
	 * learn its outcome before it answers. There are few of them (at most one per command
	 * that was in flight when a connection broke, so at most
	 * {@code counter.redis.max-connections} per failure).
	 * @param waiter the request
	 */
	void seatBeyondCap(Waiter waiter) {
		this.taken.incrementAndGet();
		enqueue(waiter);
	}

	private void enqueue(Waiter waiter) {
		this.waiters.add(waiter);
		Thread thread = this.attendant;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	/**
	 * Called by the attendant: returns when a request waits, at once if one does.
	 */
	void awaitArrival() {
		this.attendant = Thread.currentThread();
		while (this.waiters.isEmpty() && !Thread.currentThread().isInterrupted()) {
			// an arrival between the check and the park leaves a permit: no lost wake-up
			LockSupport.park(this);
		}
	}

	/**
	 * Goes through the waiting requests in arrival order; those the visitor answered
	 * leave.
	 * @param stillWaiting says, for each request, whether it still waits
	 */
	void visit(Predicate<Waiter> stillWaiting) {
		Iterator<Waiter> it = this.waiters.iterator();
		while (it.hasNext()) {
			if (!stillWaiting.test(it.next())) {
				it.remove();
				this.taken.decrementAndGet();
			}
		}
	}

	boolean isEmpty() {
		return this.waiters.isEmpty();
	}

	int waiting() {
		return this.taken.get();
	}

	int seats() {
		return this.seats;
	}

}
