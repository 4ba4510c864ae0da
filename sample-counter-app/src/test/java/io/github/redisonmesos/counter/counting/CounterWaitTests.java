package io.github.redisonmesos.counter.counting;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
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
 * A request that finds no Redis waits for one, in one of a capped number of seats; the
 * request beyond the cap answers 503 at once; the metrics say which was which.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
// its own context: the metrics it asserts count from zero; closed after the class
@DirtiesContext
class CounterWaitTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withoutPassword();

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EndpointWatch watch;

	@Autowired
	private WaitingRoom waitingRoom;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerConsulVariables(registry);
		registry.add("counter.wait.max-wait", () -> "20s");
		registry.add("counter.wait.max-waiting", () -> "1");
	}

	@Test
	void aRequestWaitsForConsulToListRedisOneBeyondTheCapAnswers503AtOnceAndMetricsTellThem() throws Exception {
		long before = backends.counter();
		backends.stubs().stubNoPassingInstance(Backends.SERVICE, backends.nextIndex());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.watch.current() instanceof Unresolved);

		CompletableFuture<ResponseEntity<Map<String, Object>>> waiting = CompletableFuture
			.supplyAsync(() -> this.http.exchange("/api/counter", HttpMethod.GET, null, JSON));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.waitingRoom.waiting() == 1);
		ResponseEntity<Map<String, Object>> beyondCap = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		backends.announceRedis();
		ResponseEntity<Map<String, Object>> waited = waiting.get(20, TimeUnit.SECONDS);

		assertThat(beyondCap.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(beyondCap.getBody()).containsEntry("error", "no-passing-instance");
		assertThat((String) beyondCap.getBody().get("message")).contains("not waiting")
			.contains("counter.wait.max-waiting");
		assertThat(waited.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(((Number) waited.getBody().get("counter")).longValue()).isEqualTo(before + 1);
		assertThat(backends.counter()).isEqualTo(before + 1);
		String metrics = this.http.getForObject("/actuator/prometheus", String.class);
		assertThat(metrics).contains("counter_requests_total{outcome=\"waited_then_counted\",reason=\"none\"} 1.0")
			.contains("counter_requests_total{outcome=\"unavailable\",reason=\"waiting-cap\"} 1.0")
			.contains("counter_redis_endpoint{host=\"127.0.0.1\",port=\"" + backends.redis().port() + "\"} 1.0")
			.contains("counter_requests_waiting 0.0")
			.contains("counter_consul_reresolutions_total");
	}

}
