package io.github.redisonmesos.counter.counting;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 503 is an increment that did not and will not happen: Redis holds the first attempt
 * past the request's deadline (the attempt times out, its outcome unknown); the request
 * retries with the same id, Redis answers that it is past the deadline and counts
 * nothing, and the request answers 503; the counter never moves for it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CounterGiveUpTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	// longer than max-wait plus the 1 s command timeout of the test pace: the first
	// attempt times out, the retry is answered once Redis runs commands again
	private static final long PAUSE_MILLIS = 1200;

	@RegisterExtension
	static final Backends backends = Backends.withoutPassword();

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private WaitingRoom waitingRoom;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerConsulVariables(registry);
		registry.add("counter.wait.max-wait", () -> "500ms");
	}

	@Test
	void aRequestWhoseAttemptRedisHeldPastItsDeadlineAnswers503AndNeverCounts() throws Exception {
		// the script is cached and the pool warm: only the pause is new (a cold app's
		// first
		// request can miss its 500 ms on a loaded machine: it counts nothing then)
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.http.getForEntity("/api/counter", String.class).getStatusCode() == HttpStatus.OK);
		long before = backends.counter();
		try (Jedis admin = backends.redis().admin()) {
			// scripts are write commands: held until the pause ends, then run
			admin.clientPause(PAUSE_MILLIS, ClientPauseMode.WRITE);
		}

		CompletableFuture<ResponseEntity<Map<String, Object>>> request = CompletableFuture
			.supplyAsync(() -> this.http.exchange("/api/counter", HttpMethod.GET, null, JSON));
		ResponseEntity<Map<String, Object>> gaveUp = request.get(20, TimeUnit.SECONDS);

		assertThat(gaveUp.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(gaveUp.getBody()).containsEntry("error", "redis-unreachable");
		assertThat((String) gaveUp.getBody().get("message")).contains("not counted");
		assertThat(backends.counter()).isEqualTo(before);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.waitingRoom.waiting() == 0);
		// on a loaded machine the next request can miss its own 500 ms too: a 503 counts
		// nothing (the point of this test), so the first 200 is the first count
		AtomicReference<ResponseEntity<Map<String, Object>>> later = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			later.set(this.http.exchange("/api/counter", HttpMethod.GET, null, JSON));
			return later.get().getStatusCode() == HttpStatus.OK;
		});
		assertThat(((Number) later.get().getBody().get("counter")).longValue()).isEqualTo(before + 1);
		assertThat(backends.counter()).isEqualTo(before + 1);
	}

}
