package io.github.redisonmesos.localplatform.consul;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Owns the index every change advances (like Consul's Raft index) and the requests
 * waiting for a change. A waiting request holds no thread: it is a {@link DeferredResult}
 * completed by the change or by its own timeout.
 */
@Component
class BlockingQueries {

	private static final Logger logger = LoggerFactory.getLogger(BlockingQueries.class);

	static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

	static final Duration MAX_WAIT = Duration.ofMinutes(10);

	private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

	private final AtomicLong index = new AtomicLong(1);

	private final Path indexFile;

	private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "consul-wait-timer");
		thread.setDaemon(true);
		return thread;
	});

	BlockingQueries(LocalPlatformProperties properties) {
		this.indexFile = properties.absoluteStateDir().resolve("consul").resolve("index");
		try {
			if (Files.exists(this.indexFile)) {
				// Indexes must not go backwards across a restart, or watchers would miss
				// changes.
				this.index.set(Long.parseLong(Files.readString(this.indexFile).trim()));
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.warn("consul.index-unreadable file={}", this.indexFile);
		}
	}

	@PreDestroy
	void stop() {
		this.timers.shutdownNow();
		try {
			Files.createDirectories(this.indexFile.getParent());
			Files.writeString(this.indexFile, Long.toString(this.index.get()));
		}
		catch (IOException ex) {
			logger.warn("consul.index-not-saved file={}", this.indexFile);
		}
	}

	long next() {
		return this.index.incrementAndGet();
	}

	long current() {
		return this.index.get();
	}

	void advanceTo(long restored) {
		this.index.accumulateAndGet(restored, Math::max);
	}

	/**
	 * Answers at once when the caller has not seen the current state, otherwise once the
	 * resource's index passes the caller's or the wait ends.
	 * @param seenIndex the {@code index} query parameter (0 when absent)
	 * @param wait the {@code wait} query parameter, may be null
	 * @param resourceIndex the current index of the requested resource
	 * @param responder builds the answer for a given index
	 * @return the pending or completed answer
	 */
	DeferredResult<ResponseEntity<Object>> answer(long seenIndex, String wait, LongSupplier resourceIndex,
			LongFunction<ResponseEntity<Object>> responder) {
		Duration duration = parseWait(wait);
		// Consul adds up to wait/16 of jitter so that many watchers do not return
		// together.
		long jitter = ThreadLocalRandom.current().nextLong(duration.toMillis() / 16 + 1);
		long waitMillis = duration.toMillis() + jitter;
		// The container's own async timeout is only a backstop: its check runs about once
		// a
		// second, the wait is timed precisely below.
		DeferredResult<ResponseEntity<Object>> result = new DeferredResult<>(waitMillis + 5000);
		if (seenIndex <= 0 || resourceIndex.getAsLong() > seenIndex) {
			result.setResult(respond(resourceIndex, responder));
			return result;
		}
		Waiter waiter = new Waiter(seenIndex, resourceIndex, responder, result);
		this.waiters.add(waiter);
		ScheduledFuture<?> timer = this.timers.schedule(waiter::complete, waitMillis, TimeUnit.MILLISECONDS);
		result.onCompletion(() -> {
			this.waiters.remove(waiter);
			timer.cancel(false);
		});
		result.onTimeout(waiter::complete);
		result.onError((ex) -> this.waiters.remove(waiter));
		// A change between the first look and the registration must not be missed.
		waiter.checkChanged();
		return result;
	}

	/**
	 * Completes every waiter whose resource has moved past the index it saw. Called after
	 * each change, outside the locks of the stores.
	 */
	void changed() {
		for (Waiter waiter : this.waiters) {
			waiter.checkChanged();
		}
	}

	private static ResponseEntity<Object> respond(LongSupplier resourceIndex,
			LongFunction<ResponseEntity<Object>> responder) {
		// Clients must never be handed an index below 1 (SEMANTICS.md, "Sanity check").
		return responder.apply(Math.max(1, resourceIndex.getAsLong()));
	}

	static Duration parseWait(String wait) {
		if (wait == null || wait.isBlank()) {
			return DEFAULT_WAIT;
		}
		Matcher matcher = GO_DURATION.matcher(wait.trim());
		if (!matcher.matches()) {
			throw new ConsulBadRequestException("Invalid wait time: " + wait);
		}
		long amount = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
		Duration duration = switch (unit) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofHours(amount);
		};
		return (duration.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : duration;
	}

	private record Waiter(long seenIndex, LongSupplier resourceIndex, LongFunction<ResponseEntity<Object>> responder,
			DeferredResult<ResponseEntity<Object>> result) {

		void checkChanged() {
			if (this.resourceIndex.getAsLong() > this.seenIndex) {
				complete();
			}
		}

		void complete() {
			if (!this.result.isSetOrExpired()) {
				this.result.setResult(respond(this.resourceIndex, this.responder));
			}
		}

	}

}
