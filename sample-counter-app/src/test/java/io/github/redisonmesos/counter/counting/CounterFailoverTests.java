package io.github.redisonmesos.counter.counting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.support.CountingClients;
import io.github.redisonmesos.counter.support.SentinelBackends;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.Jedis;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code ha} binding: the primary's redis-server killed ({@code kill -9}) while eight
 * clients keep counting. The app follows the Sentinels to the promoted replica with no
 * failed request, the counter on the new primary grew by exactly the number of 200
 * answers (every one of them acknowledged by a replica, so none was lost with the old
 * primary), and the page and the JSON name the primary, its role and where the Sentinels
 * were found.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CounterFailoverTests {

	private static final int CLIENTS = 8;

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@RegisterExtension
	static final SentinelBackends ha = new SentinelBackends();

	@LocalServerPort
	private int port;

	@Autowired
	private EndpointWatch watch;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private WaitingRoom waitingRoom;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private CountingClients clients;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ha.registerAppOnLoopback(registry);
		ha.registerBinding(registry);
		registry.add("counter.watch.min-interval", () -> "50ms");
		registry.add("counter.watch.max-backoff", () -> "200ms");
		registry.add("counter.redis.timeout", () -> "1s");
		// counter.wait.max-wait: the ha default (15 s) covers the test's failover
		// (down-after 1 s)
	}

	@Test
	@Order(1)
	void anIncrementNoReplicaAcknowledgedWaitsAndAnswers200OnceOneDoesCountedOnce() throws Exception {
		RedisServerProcess primary = ha.primary();
		// their pids first: a stopped replica answers nothing
		List<String> replicas = ha.nodes()
			.stream()
			.filter((node) -> node != primary)
			.map(CounterFailoverTests::pid)
			.toList();
		assertThat(get("/api/counter").statusCode()).as("the script cached, the pool warm").isEqualTo(200);
		long before = SentinelBackends.counter(primary);
		CompletableFuture<HttpResponse<String>> request;
		try {
			replicas.forEach((replica) -> signal(replica, "STOP"));
			request = CompletableFuture.supplyAsync(() -> {
				try {
					return get("/api/counter");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			// counted on the primary, WAIT 1 answered 0: neither 200 nor 503, it waits
			await("the increment on the primary, unacknowledged").atMost(PATIENCE)
				.until(() -> SentinelBackends.counter(primary) == before + 1 && this.waitingRoom.waiting() == 1);
			assertThat(request).isNotDone();
		}
		finally {
			replicas.forEach((replica) -> signal(replica, "CONT"));
		}

		HttpResponse<String> answer = request.get(30, TimeUnit.SECONDS);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(CountingClients.counter(answer.body())).isEqualTo(Long.toString(before + 1));
		assertThat(SentinelBackends.counter(primary)).as("counted once, though retried").isEqualTo(before + 1);
	}

	@Test
	@Order(2)
	void thePrimaryKilledUnderConcurrentRequestsNoErrorAndEveryAnsweredIncrementIsOnTheNewPrimary() throws Exception {
		RedisServerProcess oldPrimary = ha.primary();
		long before = SentinelBackends.counter(oldPrimary);
		double answeredBefore = meter("counted") + meter("waited_then_counted");
		double waitedBefore = meter("waited_then_counted");
		this.clients = new CountingClients(this.port, CLIENTS);
		try {
			awaitCountsOn(oldPrimary.port());
			oldPrimary.kill();
			await("the Sentinels promote a replica").atMost(PATIENCE)
				.ignoreExceptions()
				.until(() -> ha.primary() != oldPrimary);
			awaitCountsOn(ha.primary().port());
		}
		finally {
			this.clients.stop();
		}

		// on a busy machine the Sentinels (down-after 1 s) may fail over once more: the
		// app follows, and the acknowledged increments are on whichever primary is last
		RedisServerProcess newPrimary = ha.primary();
		assertThat(this.clients.failures()).as("failed requests").isEmpty();
		assertThat(this.clients.redisPorts()).as("counted on the old primary, then on a new one")
			.contains(oldPrimary.port())
			.hasSizeGreaterThan(1);
		assertThat(SentinelBackends.counter(newPrimary) - before).as("counter delta on the new primary")
			.isEqualTo(this.clients.ok());
		assertThat(this.clients.values()).as("one value per 200 answer").hasSize(this.clients.ok());
		double counted = meter("counted") + meter("waited_then_counted") - answeredBefore;
		assertThat(counted).as("the app's count of its 200s").isEqualTo(this.clients.ok());
		assertThat(meter("waited_then_counted") - waitedBefore)
			.as("requests that waited for the failover, then counted")
			.isPositive();

		// right after the switch the Sentinel sees the new primary "disconnected" for a
		// moment; the role shown follows within a second or so
		await("the role as Sentinel reports it settles").atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(200))
			.until(this::appShowsSettledPrimary);
		newPrimary = ha.primary();
		String json = get("/api/counter").body();
		assertThat(json).contains("\"redisPort\":" + newPrimary.port())
			.contains("\"redisRole\":\"master\"")
			.contains("\"sentinelsFrom\":\"Consul service '" + SentinelBackends.SENTINEL_SERVICE + "'\"");
		String page = get("/").body();
		assertThat(page).contains("127.0.0.1:" + newPrimary.port())
			.contains("<code id=\"redis-role\">master</code>")
			.contains("Consul service &#39;" + SentinelBackends.SENTINEL_SERVICE + "&#39;");
	}

	private double meter(String outcome) {
		return this.meters.get(CounterMetrics.REQUESTS).tag("outcome", outcome).counter().count();
	}

	private static String pid(RedisServerProcess node) {
		try (Jedis admin = node.admin()) {
			Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(admin.info("server"));
			assertThat(pid.find()).isTrue();
			return pid.group(1);
		}
	}

	// SIGSTOP: a replica that neither answers nor acknowledges, as one whose host hangs
	private static void signal(String pid, String signal) {
		try {
			assertThat(new ProcessBuilder("kill", "-" + signal, pid).start().waitFor()).isZero();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitCountsOn(int redisPort) {
		await().atMost(PATIENCE)
			.until(() -> this.watch.current() instanceof Resolved resolved && resolved.endpoint().port() == redisPort
					&& this.clients.okOn(redisPort) >= 20);
	}

	// the JSON names the primary the Sentinels name, as master: the app has caught up
	private boolean appShowsSettledPrimary() throws Exception {
		String json = get("/api/counter").body();
		return json.contains("\"redisPort\":" + ha.primary().port()) && json.contains("\"redisRole\":\"master\"");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
