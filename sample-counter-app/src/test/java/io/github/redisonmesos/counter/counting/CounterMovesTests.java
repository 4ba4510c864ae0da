package io.github.redisonmesos.counter.counting;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.support.Backends;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
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
 * Redis moved three times (stopped, started on a new port on the same data, announced by
 * Consul) while eight clients keep counting: no request fails, and the counter grows by
 * exactly the number of 200 answers, each of which got its own value. Bound as the broker
 * binds since per-binding users (the binding's ACL user, {@code default} off).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
// its own context: the meters it asserts count from zero; closed after the class
@DirtiesContext
class CounterMovesTests {

	private static final int CLIENTS = 8;

	private static final int MOVES = 3;

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private static final Pattern COUNTER = Pattern.compile("\"counter\":(\\d+)");

	private static final Pattern REDIS_PORT = Pattern.compile("\"redisPort\":(\\d+)");

	@RegisterExtension
	static final Backends backends = Backends.withAclUser("b-2c7e9f14-5a3d-4e8b-b016-9d4f7a2c3e58",
			"kR4tW8yB2nM6qP0sV3xZ7cF1hJ5lD9gA");

	@LocalServerPort
	private int port;

	@Autowired
	private EndpointWatch watch;

	@Autowired
	private WaitingRoom waitingRoom;

	@Autowired
	private MeterRegistry meters;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	private final Set<Long> values = ConcurrentHashMap.newKeySet();

	private final AtomicInteger ok = new AtomicInteger();

	private final ConcurrentHashMap<Integer, AtomicInteger> okByRedisPort = new ConcurrentHashMap<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerAppOnLoopback(registry);
		backends.registerTestPace(registry);
		backends.registerBinding(registry, null);
		// the default 3 s covers Consul's 1.5 s here; a loaded CI machine gets more room
		registry.add("counter.wait.max-wait", () -> "10s");
	}

	@Test
	void redisMovedThreeTimesUnderConcurrentRequestsNoErrorAndOneIncrementPerSuccess() throws Exception {
		long before = backends.counter();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> loops = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			loops.add(clients.submit(() -> count(http)));
		}
		try {
			awaitCountsOn(backends.redis().port());
			for (int move = 1; move <= MOVES; move++) {
				RedisServerProcess moved = move(move % 2 == 1);
				awaitCountsOn(moved.port());
			}
		}
		finally {
			this.running.set(false);
			clients.shutdown();
			assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
		}
		for (Future<?> loop : loops) {
			loop.get();
		}

		assertThat(this.failures).as("failed requests").isEmpty();
		assertThat(this.okByRedisPort).as("counted on the first Redis and after each move").hasSize(MOVES + 1);
		assertThat(backends.counter() - before).as("counter delta").isEqualTo(this.ok.get());
		assertThat(this.values).as("one value per 200 answer").hasSize(this.ok.get());
		double counted = this.meters.get(CounterMetrics.REQUESTS).tag("outcome", "counted").counter().count()
				+ this.meters.get(CounterMetrics.REQUESTS).tag("outcome", "waited_then_counted").counter().count();
		assertThat(counted).as("the app's count of its 200s").isEqualTo(this.ok.get());
		assertThat(this.meters.get(CounterMetrics.REQUESTS).tag("outcome", "waited_then_counted").counter().count())
			.as("requests that waited for a move, then counted")
			.isPositive();
		assertThat(this.meters.get("counter.redis.move").timer().count()).as("moves timed").isEqualTo(MOVES);
	}

	/**
	 * Moves Redis as Marathon and Consul do, in one of two orders: Consul drops the old
	 * instance before Redis stops (a task killed, then deregistered), or Redis is gone
	 * while Consul still lists it for a while (the app meets refused connections first).
	 */
	private RedisServerProcess move(boolean consulFirst) {
		if (consulFirst) {
			backends.stubs().stubNoPassingInstance(Backends.SERVICE, backends.nextIndex());
			backends.redis().stop();
		}
		else {
			backends.redis().stop();
			awaitSomeRequestsMeetTheStoppedRedis();
			backends.stubs().stubNoPassingInstance(Backends.SERVICE, backends.nextIndex());
		}
		RedisServerProcess moved = backends.startRedis(FreePorts.next());
		backends.announceRedis();
		return moved;
	}

	private void awaitSomeRequestsMeetTheStoppedRedis() {
		// requests that meet the stopped Redis wait for Consul to name another
		await().atMost(PATIENCE).until(() -> this.waitingRoom.waiting() > 0);
	}

	private void awaitCountsOn(int redisPort) {
		await().atMost(PATIENCE)
			.until(() -> this.watch.current() instanceof Resolved resolved && resolved.endpoint().port() == redisPort
					&& this.okByRedisPort.getOrDefault(redisPort, new AtomicInteger()).get() >= 20);
	}

	private void count(HttpClient http) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/counter"))
			.timeout(Duration.ofSeconds(30))
			.build();
		while (this.running.get()) {
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 200) {
					this.failures.add(response.statusCode() + " " + response.body());
					continue;
				}
				this.ok.incrementAndGet();
				this.values.add(Long.parseLong(field(COUNTER, response.body())));
				this.okByRedisPort
					.computeIfAbsent(Integer.parseInt(field(REDIS_PORT, response.body())), (p) -> new AtomicInteger())
					.incrementAndGet();
			}
			catch (Exception ex) {
				this.failures.add(ex.toString());
			}
		}
	}

	private static String field(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

}
