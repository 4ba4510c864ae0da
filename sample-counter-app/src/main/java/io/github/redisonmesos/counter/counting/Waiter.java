package io.github.redisonmesos.counter.counting;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request waiting for a Redis it can count on: its id and script arguments, the same on
 * every attempt, its deadline, why its last attempt failed, and whether any attempt may
 * have counted. Written by the thread that makes its attempts, one at a time.
 */
final class Waiter {

	final CompletableFuture<CounterReading> result = new CompletableFuture<>();

	final String requestId;

	final List<String> arguments;

	final long deadlineNanos;

	// until then, a request whose outcome is unknown retries to learn it; the marker
	// outlives this
	final long learnUntilNanos;

	private CounterService.Failure failure;

	private boolean outcomeUnknown;

	Waiter(String requestId, List<String> arguments, long deadlineNanos, long learnUntilNanos) {
		this.requestId = requestId;
		this.arguments = arguments;
		this.deadlineNanos = deadlineNanos;
		this.learnUntilNanos = learnUntilNanos;
	}

	void failed(CounterService.Failure failure, boolean mayHaveCounted) {
		this.failure = failure;
		// once unknown, unknown until Redis answers an attempt with the same id
		this.outcomeUnknown |= mayHaveCounted;
	}

	CounterService.Failure failure() {
		return this.failure;
	}

	boolean outcomeUnknown() {
		return this.outcomeUnknown;
	}

}
