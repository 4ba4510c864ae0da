package io.github.redisonmesos.counter.counting;

import java.time.Duration;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.support.Backends;
import io.github.redisonmesos.counter.support.CountingClients;
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

	private CountingClients clients;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerBinding(registry, null);
		// the default 3 s covers Consul's 1.5 s here; a loaded CI machine gets more room
		registry.add("counter.wait.max-wait", () -> "10s");
	}

	@Test
	void redisMovedThreeTimesUnderConcurrentRequestsNoErrorAndOneIncrementPerSuccess() throws Exception {
		long before = backends.counter();
		this.clients = new CountingClients(this.port, CLIENTS);
		try {
			awaitCountsOn(backends.redis().port());
			for (int move = 1; move <= MOVES; move++) {
				RedisServerProcess moved = move(move % 2 == 1);
				awaitCountsOn(moved.port());
			}
		}
		finally {
			this.clients.stop();
		}

		assertThat(this.clients.failures()).as("failed requests").isEmpty();
		assertThat(this.clients.redisPorts()).as("counted on the first Redis and after each move").hasSize(MOVES + 1);
		assertThat(backends.counter() - before).as("counter delta").isEqualTo(this.clients.ok());
		assertThat(this.clients.values()).as("one value per 200 answer").hasSize(this.clients.ok());
		double counted = this.meters.get(CounterMetrics.REQUESTS).tag("outcome", "counted").counter().count()
				+ this.meters.get(CounterMetrics.REQUESTS).tag("outcome", "waited_then_counted").counter().count();
		assertThat(counted).as("the app's count of its 200s").isEqualTo(this.clients.ok());
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
					&& this.clients.okOn(redisPort) >= 20);
	}

}
