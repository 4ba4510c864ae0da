package io.github.redisonmesos.localplatform.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import io.github.redisonmesos.localplatform.state.DurableFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

	// How far ahead of the current index a durable record is kept: one fsync per this
	// many changes, and after a crash the index resumes above anything handed out.
	private static final long INDEX_LEASE = 1000;

	private final AtomicLong index = new AtomicLong(1);

	private final Path indexFile;

	// The highest index a client may have seen, as stored in indexFile. Guarded by this.
	private long ceiling;

	private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "consul-wait-timer");
		thread.setDaemon(true);
		return thread;
	});

	BlockingQueries(LocalPlatformProperties properties, MeterRegistry meters) {
		this.indexFile = properties.absoluteStateDir().resolve("consul").resolve("index");
		try {
			if (Files.exists(this.indexFile)) {
				// Indexes must not go backwards across a restart, or watchers would miss
				// changes: resume from the stored ceiling.
				this.ceiling = Long.parseLong(Files.readString(this.indexFile).trim());
				this.index.set(this.ceiling);
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.warn("consul.index-unreadable file={}", this.indexFile);
		}
		Gauge.builder("local.platform.consul.waiting", this.waiters, Set::size)
			.description("Blocking queries waiting for a change")
			.register(meters);
	}

	@PreDestroy
	void stop() {
		this.timers.shutdownNow();
	}

	/**
	 * A new index, higher than any handed out before, even before a crash.
	 * @throws UncheckedIOException when the index cannot be recorded; the change that
	 * asked must then not happen
	 */
	long next() {
		long next = this.index.incrementAndGet();
		reserveThrough(next);
		return next;
	}

	long current() {
		return this.index.get();
	}

	void advanceTo(long restored) {
		reserveThrough(this.index.accumulateAndGet(restored, Math::max));
	}

	private synchronized void reserveThrough(long value) {
		if (value <= this.ceiling) {
			return;
		}
		long newCeiling = value + INDEX_LEASE;
		try {
			DurableFiles.write(this.indexFile, Long.toString(newCeiling).getBytes(StandardCharsets.UTF_8), false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot record the Consul index in " + this.indexFile, ex);
		}
		this.ceiling = newCeiling;
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
	 * Answers a read that names no index: never waits, so it needs no asynchronous
	 * request (the broker's reads of its records are all of this kind).
	 * @param resourceIndex the current index of the requested resource
	 * @param responder builds the answer for a given index
	 * @return the answer
	 */
	ResponseEntity<Object> answerNow(LongSupplier resourceIndex, LongFunction<ResponseEntity<Object>> responder) {
		return respond(resourceIndex, responder);
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
