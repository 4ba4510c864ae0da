package io.github.redisonmesos.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InProcessStartsTests {

	@Test
	void startsAskedForAtOnceRunOneAtATimeAndReturnWhatTheyStarted() throws Exception {
		int starts = 4;
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		CountDownLatch allAsked = new CountDownLatch(starts);
		ExecutorService threads = Executors.newFixedThreadPool(starts);
		try {
			List<Future<String>> started = new ArrayList<>();
			for (int i = 0; i < starts; i++) {
				String name = "start-" + i;
				started.add(threads.submit(() -> {
					allAsked.countDown();
					allAsked.await(10, TimeUnit.SECONDS);
					return InProcessStarts.alone(() -> {
						mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
						// long enough for the others, all asking now, to come in
						// if nothing held them back
						long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
						while (System.nanoTime() < until) {
							Thread.onSpinWait();
						}
						running.decrementAndGet();
						return name;
					});
				}));
			}
			List<String> names = new ArrayList<>();
			for (Future<String> future : started) {
				names.add(future.get(10, TimeUnit.SECONDS));
			}
			assertThat(names).containsExactly("start-0", "start-1", "start-2", "start-3");
			assertThat(mostAtOnce.get()).as("starts running at the same time").isEqualTo(1);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
