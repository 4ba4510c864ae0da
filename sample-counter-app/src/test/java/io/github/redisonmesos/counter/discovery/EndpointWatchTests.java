package io.github.redisonmesos.counter.discovery;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.redisonmesos.counter.discovery.Resolution.Reason;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EndpointWatchTests {

	private static final RedisEndpoint A = new RedisEndpoint("10.0.0.1", 31000);

	private static final RedisEndpoint B = new RedisEndpoint("10.0.0.2", 31001);

	private static final Duration WAIT = Duration.ofSeconds(55);

	private final ScriptedLookup lookup = new ScriptedLookup();

	private EndpointWatch watch = new EndpointWatch(this.lookup,
			new WatchProperties(WAIT, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(1)),
			Clock.systemUTC());

	@AfterEach
	void stopWatch() {
		this.watch.stop();
	}

	@Test
	void nextIndexFollowsConsulRules() {
		assertThat(EndpointWatch.nextIndex(10, 12)).as("moves forward").isEqualTo(12);
		assertThat(EndpointWatch.nextIndex(12, 12)).as("timeout without change").isEqualTo(12);
		assertThat(EndpointWatch.nextIndex(12, 5)).as("went backwards: start over").isZero();
		assertThat(EndpointWatch.nextIndex(0, 0)).as("never wait on 0 after an answer").isEqualTo(1);
	}

	@Test
	void answersAtStartAndThenWaitsOnTheReturnedIndex() {
		this.lookup.answer(() -> new LookupResult(List.of(A), 42));

		this.watch.start();

		assertThat(this.watch.current()).isInstanceOfSatisfying(Resolved.class,
				(resolved) -> assertThat(resolved.endpoint()).isEqualTo(A));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.lookup.calls.size() >= 3);
		List<Call> calls = List.copyOf(this.lookup.calls);
		assertThat(calls.get(0)).isEqualTo(new Call(0, null));
		assertThat(calls.subList(1, 3)).containsOnly(new Call(42, WAIT));
	}

	@Test
	void changeDeliveredThroughTheWatchMovesTheEndpoint() {
		this.lookup.answer(() -> new LookupResult(List.of(A), 42));
		this.watch.start();

		this.lookup.answer(() -> new LookupResult(List.of(B), 43));

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.watch.current()).isInstanceOfSatisfying(Resolved.class,
					(resolved) -> assertThat(resolved.endpoint()).isEqualTo(B)));
	}

	@Test
	void staysOnTheCurrentEndpointWhileConsulStillListsIt() {
		this.lookup.answer(() -> new LookupResult(List.of(A), 42));
		this.watch.start();

		this.lookup.answer(() -> new LookupResult(List.of(B, A), 43));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.lookup.calls.contains(new Call(43, WAIT)));
		assertThat(((Resolved) this.watch.current()).endpoint()).isEqualTo(A);
	}

	@Test
	void noPassingInstanceIsReportedAsSuch() {
		this.lookup.answer(() -> new LookupResult(List.of(), 42));

		this.watch.start();

		assertThat(this.watch.current()).isInstanceOfSatisfying(Unresolved.class, (unresolved) -> {
			assertThat(unresolved.reason()).isEqualTo(Reason.NO_PASSING_INSTANCE);
			assertThat(unresolved.message()).contains("lists no passing instances of service 'redis'");
		});
	}

	@Test
	void unreachableConsulAtStartIsReportedAndTheWatchRecoversByItself() {
		this.lookup.answer(() -> {
			throw new EndpointLookupException("Could not ask Consul: connection refused", null);
		});

		this.watch.start();

		assertThat(this.watch.current()).isInstanceOfSatisfying(Unresolved.class,
				(unresolved) -> assertThat(unresolved.reason()).isEqualTo(Reason.CONSUL_UNREACHABLE));
		this.lookup.answer(() -> new LookupResult(List.of(A), 42));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.watch.current() instanceof Resolved);
		assertThat(this.watch.lastContact().reachable()).isTrue();
	}

	@Test
	void aKnownEndpointIsKeptWhileConsulIsUnreachableAndTheNextQueryStartsOver() {
		this.lookup.answer(() -> new LookupResult(List.of(A), 42));
		this.watch.start();

		this.lookup.answer(() -> {
			throw new EndpointLookupException("Could not ask Consul: connection reset", null);
		});

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.watch.lastContact().reachable());
		assertThat(((Resolved) this.watch.current()).endpoint()).isEqualTo(A);
		this.lookup.answer(() -> new LookupResult(List.of(A), 44));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.lookup.calls.contains(new Call(44, WAIT)));
		List<Call> calls = List.copyOf(this.lookup.calls);
		assertThat(calls.subList(calls.indexOf(new Call(42, WAIT)), calls.size())).contains(new Call(0, WAIT));
	}

	@Test
	void reresolveAsksAtOnceButBurstsShareOneAnswer() {
		this.watch = new EndpointWatch(this.lookup,
				new WatchProperties(WAIT, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(1)),
				Clock.systemUTC());
		this.lookup.answer(() -> new LookupResult(List.of(B), 50));

		Resolution first = this.watch.reresolve();
		Resolution second = this.watch.reresolve();

		assertThat(((Resolved) first).endpoint()).isEqualTo(B);
		assertThat(second).isSameAs(first);
		assertThat(this.lookup.calls).containsExactly(new Call(0, null));
	}

	@Test
	void whenConsulStartsOverWithLowerIndexesTheWatchConfirmsWithAPlainReadAndFollows() {
		this.lookup.answer(() -> new LookupResult(List.of(A), 5000));
		this.watch.start();

		// a Consul restarted without its state: away for a moment, then its index
		// starts again from low numbers, below what the app has seen
		this.lookup.answer(() -> {
			throw new EndpointLookupException("Could not ask Consul: connection refused", null);
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.watch.lastContact().reachable());
		this.lookup.answer(() -> new LookupResult(List.of(B), 7));

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.watch.current()).isInstanceOfSatisfying(Resolved.class,
					(resolved) -> assertThat(resolved.endpoint()).isEqualTo(B)));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.lookup.calls.contains(new Call(7, WAIT)));
	}

	record Call(long index, Duration queryWait) {
	}

	/**
	 * Answers each query with whatever the test scripted last, and records the queries.
	 */
	static final class ScriptedLookup implements EndpointLookup {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		private final AtomicReference<Supplier<LookupResult>> answer = new AtomicReference<>();

		void answer(Supplier<LookupResult> next) {
			this.answer.set(next);
		}

		@Override
		public LookupResult passingInstances(long index, Duration wait) {
			this.calls.add(new Call(index, wait));
			return this.answer.get().get();
		}

		@Override
		public String describe() {
			return "passing instances of service 'redis' in datacenter dc1 at http://consul.test:8500";
		}

	}

}
