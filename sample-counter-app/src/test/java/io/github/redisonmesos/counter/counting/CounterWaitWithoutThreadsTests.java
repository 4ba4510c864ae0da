package io.github.redisonmesos.counter.counting;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests that wait for Redis hold no web server thread: ten times as many as Tomcat has
 * threads wait together, liveness still answers, and all count once Redis is back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CounterWaitWithoutThreadsTests {

	private static final int TOMCAT_THREADS = 4;

	private static final int WAITING = 40;

	@RegisterExtension
	static final Backends backends = Backends.withoutPassword();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	private int port;

	@Autowired
	private EndpointWatch watch;

	@Autowired
	private WaitingRoom waitingRoom;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerConsulVariables(registry);
		registry.add("server.tomcat.threads.max", () -> TOMCAT_THREADS);
		registry.add("server.tomcat.threads.min-spare", () -> 1);
		registry.add("counter.wait.max-wait", () -> "30s");
	}

	@Test
	void tenTimesMoreRequestsThanThreadsWaitLivenessAnswersAndAllCountOnceRedisIsBack() throws Exception {
		long before = backends.counter();
		backends.stubs().stubNoPassingInstance(Backends.SERVICE, backends.nextIndex());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.watch.current() instanceof Unresolved);

		List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
		for (int i = 0; i < WAITING; i++) {
			waiting.add(this.http.sendAsync(get("/api/counter"), BodyHandlers.ofString()));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.waitingRoom.waiting() == WAITING);
		HttpResponse<String> liveness = this.http.send(get("/actuator/health/liveness"), BodyHandlers.ofString());
		HttpResponse<String> page = this.http.send(get("/actuator/health"), BodyHandlers.ofString());
		assertThat(waiting).noneMatch(CompletableFuture::isDone);
		backends.announceRedis();

		assertThat(liveness.statusCode()).isEqualTo(200);
		assertThat(liveness.body()).contains("UP");
		assertThat(page.statusCode()).isIn(200, 503);
		for (CompletableFuture<HttpResponse<String>> request : waiting) {
			HttpResponse<String> answer = request.get(30, TimeUnit.SECONDS);
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		}
		assertThat(backends.counter()).isEqualTo(before + WAITING);
		assertThat(this.waitingRoom.waiting()).isZero();
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.build();
	}

}
