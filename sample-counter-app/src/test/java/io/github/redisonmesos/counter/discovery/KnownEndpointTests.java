package io.github.redisonmesos.counter.discovery;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KnownEndpointTests {

	private static final RedisEndpoint A = new RedisEndpoint("10.0.0.1", 31000);

	private static final RedisEndpoint B = new RedisEndpoint("10.0.0.2", 31001);

	private final KnownEndpoint known = new KnownEndpoint("passing instances of service 'redis'", Clock.systemUTC());

	@Test
	void anOlderAnswerNeverReplacesANewerOne() {
		assertThat(this.known.answered(new LookupResult(List.of(B), 50), false)).isTrue();

		// e.g. the watch's answer, sent before the re-resolution's, arriving after it
		assertThat(this.known.answered(new LookupResult(List.of(A), 45), false)).isFalse();

		assertThat(endpoint()).isEqualTo(B);
		assertThat(this.known.answered(new LookupResult(List.of(A), 50), false)).as("same index").isTrue();
		assertThat(endpoint()).isEqualTo(A);
	}

	@Test
	void afterAnIndexResetLowerIndexesAreTaken() {
		this.known.answered(new LookupResult(List.of(A), 5000), false);

		assertThat(this.known.answered(new LookupResult(List.of(B), 12), true)).isTrue();
		assertThat(this.known.answered(new LookupResult(List.of(B), 13), false)).isTrue();

		assertThat(endpoint()).isEqualTo(B);
	}

	@Test
	void awaitChangeReturnsAsSoonAsConsulAnswersAndTheStateOtherwise() throws Exception {
		this.known.answered(new LookupResult(List.of(), 10), false);
		Resolution seen = this.known.current();
		assertThat(this.known.awaitChange(seen, TimeUnit.MILLISECONDS.toNanos(20))).as("nothing new").isSameAs(seen);

		CompletableFuture<Resolution> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return this.known.awaitChange(seen, TimeUnit.SECONDS.toNanos(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.known.answered(new LookupResult(List.of(A), 11), false);

		assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Resolved.class,
				(resolved) -> assertThat(resolved.endpoint()).isEqualTo(A));
	}

	@Test
	void departureIsWhenConsulFirstStoppedNamingTheEndpoint() {
		this.known.answered(new LookupResult(List.of(A), 10), false);
		assertThat(this.known.departedFrom(A)).isEqualTo(-1);
		long before = System.nanoTime();

		this.known.answered(new LookupResult(List.of(), 11), false);
		long departed = this.known.departedFrom(A);
		this.known.answered(new LookupResult(List.of(B), 12), false);

		assertThat(this.known.current()).isInstanceOf(Resolved.class);
		assertThat(departed).isGreaterThanOrEqualTo(before);
		assertThat(this.known.departedFrom(A)).as("from the first answer without A, not the one naming B")
			.isEqualTo(departed);
		assertThat(this.known.departedFrom(B)).isEqualTo(-1);
	}

	@Test
	void aConsulFailureKeepsAKnownEndpoint() {
		this.known.answered(new LookupResult(List.of(A), 10), false);

		this.known.failed(new EndpointLookupException("connection refused", null));

		assertThat(endpoint()).isEqualTo(A);
		await().atMost(Duration.ofSeconds(1)).until(() -> !this.known.lastContact().reachable());
		KnownEndpoint fresh = new KnownEndpoint("q", Clock.systemUTC());
		fresh.failed(new EndpointLookupException("connection refused", null));
		assertThat(fresh.current()).isInstanceOf(Unresolved.class);
	}

	private RedisEndpoint endpoint() {
		return ((Resolved) this.known.current()).endpoint();
	}

}
