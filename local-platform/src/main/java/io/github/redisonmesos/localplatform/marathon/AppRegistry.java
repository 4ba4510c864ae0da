package io.github.redisonmesos.localplatform.marathon;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The only owner of Marathon's mutable state. Readers get immutable snapshots without
 * waiting; writers describe a change as a function of the current state, which runs under
 * the registry's own lock and only computes. What a change causes outside the state
 * (starting and signalling processes, telling observers, deleting files) runs afterwards
 * on one thread, in the order of the changes, never under the lock.
 */
@Component
class AppRegistry {

	private static final Logger logger = LoggerFactory.getLogger(AppRegistry.class);

	private final Object lock = new Object();

	private final ExecutorService effects;

	private volatile Apps apps = Apps.EMPTY;

	AppRegistry(@Qualifier("marathonEffects") ExecutorService effects) {
		this.effects = effects;
	}

	Apps snapshot() {
		return this.apps;
	}

	/**
	 * Applies a change atomically.
	 * @param <R> what the change answers
	 * @param change computes the new state from the current one; it must not block
	 * @return the change's answer
	 */
	<R> R change(Function<Change, R> change) {
		synchronized (this.lock) {
			Change pending = new Change(this.apps);
			R result = change.apply(pending);
			this.apps = pending.result();
			// Queued (not run) under the lock, so effects keep the order of their
			// changes.
			for (Runnable effect : pending.effects()) {
				try {
					this.effects.execute(() -> run(effect));
				}
				catch (RejectedExecutionException ex) {
					logger.debug("effect.dropped reason=shutdown");
				}
			}
			return result;
		}
	}

	/**
	 * Waits until every effect queued so far has run.
	 * @param timeoutMillis how long to wait at most
	 */
	void awaitEffects(long timeoutMillis) {
		try {
			Future<?> barrier = this.effects.submit(() -> {
			});
			barrier.get(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Shut down: nothing runs any more.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.warn("effects.not-drained timeoutMillis={}", timeoutMillis);
		}
	}

	private static void run(Runnable effect) {
		try {
			effect.run();
		}
		catch (RuntimeException ex) {
			// One failing effect must not stop the ones queued after it.
			logger.error("effect.failed", ex);
		}
	}

}
