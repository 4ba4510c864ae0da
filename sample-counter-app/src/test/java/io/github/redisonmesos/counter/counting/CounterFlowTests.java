package io.github.redisonmesos.counter.counting;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.RedisEndpoint;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.github.redisonmesos.counter.support.Backends;
import io.github.redisonmesos.counter.support.ConsulStubs;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

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

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole app against a real {@code redis-server} (with a password, as the broker
 * provisions it) and Consul stubbed by WireMock, bound through a {@code VCAP_SERVICES}
 * document whose credentials carry a Consul ACL token.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// its own context: no other class has its backends' ports; closed after the class
@DirtiesContext
class CounterFlowTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	private static final String CONSUL_TOKEN = "d3b07384-d9a0-4c1f-8e6b-0f5a2c7e9b41";

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withPassword("s3cr3t-pa55");

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EndpointWatch watch;

	@Autowired
	private RedisPools pools;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerBinding(registry, CONSUL_TOKEN);
		// requests wait this long for a Redis that is gone before answering 503
		registry.add("counter.wait.max-wait", () -> "500ms");
	}

	@BeforeEach
	void redisRunningAndListed() {
		if (!backends.redis().isUp()) {
			backends.startRedis(FreePorts.next());
		}
		backends.consul().resetAll();
		backends.announceRedis();
		awaitWatchSees(backends.redis().port());
	}

	@Test
	void counterIncrementsAcrossRequestsWithoutAskingConsul() {
		backends.consul().resetRequests();

		Map<String, Object> first = counter();
		Map<String, Object> second = counter();

		assertThat(((Number) second.get("counter")).longValue())
			.isEqualTo(((Number) first.get("counter")).longValue() + 1);
		assertThat(second).containsEntry("consulHost", "127.0.0.1")
			.containsEntry("consulPort", backends.consul().port())
			.containsEntry("consulDatacenter", "dc1")
			.containsEntry("redisHost", "127.0.0.1")
			.containsEntry("redisPort", backends.redis().port());
		assertThat(Instant.parse((String) second.get("resolvedAt"))).isBefore(Instant.now().plusSeconds(1));
		// only the watch's blocking queries (which always carry an index) reach Consul
		backends.consul()
			.verify(0, getRequestedFor(urlPathEqualTo("/v1/health/service/redis")).withQueryParam("index", absent()));
	}

	@Test
	void redisMovesAndTheWatchLeadsTheNextPageToTheNewAddressWithTheCountIntact() {
		long before = ((Number) counter().get("counter")).longValue();
		RedisEndpoint oldEndpoint = currentEndpoint();
		JedisPooled oldPool = this.pools.poolFor(oldEndpoint);

		backends.redis().stop();
		RedisServerProcess moved = backends.startRedis(FreePorts.next());
		backends.announceRedis();
		awaitWatchSees(moved.port());

		Map<String, Object> after = counter();
		assertThat(after).containsEntry("redisPort", moved.port());
		assertThat(((Number) after.get("counter")).longValue()).isEqualTo(before + 1);
		assertThat(oldPool.getPool().isClosed()).as("old pool closed").isTrue();
	}

	@Test
	void consulListingNoPassingInstanceAnswers503UntilOneIsListedAgain() {
		backends.stubs().stubNoPassingInstance(Backends.SERVICE, backends.nextIndex());
		await().atMost(PATIENCE).until(() -> this.watch.current() instanceof Unresolved);

		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(api.getBody()).containsEntry("error", "no-passing-instance");
		assertThat((String) api.getBody().get("message")).contains("service 'redis'");
		ResponseEntity<String> page = this.http.getForEntity("/", String.class);
		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(page.getBody()).contains("<code id=\"error\">no-passing-instance</code>")
			.doesNotContain(CONSUL_TOKEN);

		backends.announceRedis();
		await().atMost(PATIENCE)
			.until(() -> this.http.getForEntity("/api/counter", String.class).getStatusCode(), HttpStatus.OK::equals);
	}

	@Test
	void redisKilledAnswers503AndBackOnItsPortAnswers200WithoutRestart() {
		int port = backends.redis().port();
		backends.redis().kill();

		ResponseEntity<Map<String, Object>> down = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		assertThat(down.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(down.getBody()).containsEntry("error", "redis-unreachable");
		assertThat((String) down.getBody().get("message")).contains("127.0.0.1:" + port)
			.contains("retried")
			.contains("waited 500 ms")
			.doesNotContain(backends.password());

		backends.startRedis(port);
		ResponseEntity<Map<String, Object>> up = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		assertThat(up.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(up.getBody()).containsEntry("redisPort", port);
	}

	@Test
	void consulGoneKeepsServingTheKnownRedisAndHealthSaysConsulIsDown() {
		backends.stubs().stubConsulUnreachable(Backends.SERVICE);
		await().atMost(PATIENCE).until(() -> componentStatus("consul"), "DOWN"::equals);

		assertThat(this.http.getForEntity("/api/counter", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(componentStatus("redis")).isEqualTo("UP");

		backends.announceRedis();
		await().atMost(PATIENCE).until(() -> componentStatus("consul"), "UP"::equals);
	}

	@Test
	void healthShowsRedisAndConsulWithoutThePasswordOrTheToken() {
		ResponseEntity<String> health = this.http.getForEntity("/actuator/health", String.class);

		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(componentStatus("redis")).isEqualTo("UP");
		assertThat(componentStatus("consul")).isEqualTo("UP");
		assertThat(health.getBody()).contains("127.0.0.1:" + backends.redis().port())
			.doesNotContain(backends.password())
			.doesNotContain(CONSUL_TOKEN);
	}

	@Test
	void bindingsConsulTokenGoesAsHeaderWithTheWatchsQueriesAndTheReresolution() {
		backends.consul().resetRequests();
		await().atMost(PATIENCE)
			.until(() -> !backends.consul()
				.findAll(healthQueries().withQueryParam("index", matching("\\d+")))
				.isEmpty());

		// a connection error makes the request ask Consul itself, without an index
		backends.redis().kill();
		ResponseEntity<String> down = this.http.getForEntity("/api/counter", String.class);

		assertThat(down.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(down.getBody()).doesNotContain(CONSUL_TOKEN);
		assertThat(backends.consul().findAll(healthQueries().withQueryParam("index", absent()))).as("re-resolution")
			.isNotEmpty();
		assertThat(backends.consul().findAll(healthQueries())).allSatisfy((request) -> {
			assertThat(request.getHeader(ConsulStubs.TOKEN_HEADER)).isEqualTo(CONSUL_TOKEN);
			assertThat(request.queryParameter("token").isPresent()).as("token in the URL").isFalse();
		});
	}

	private Map<String, Object> counter() {
		ResponseEntity<Map<String, Object>> response = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody();
	}

	@SuppressWarnings("unchecked")
	private String componentStatus(String component) {
		Map<String, Object> health = this.http.exchange("/actuator/health", HttpMethod.GET, null, JSON).getBody();
		Map<String, Object> components = (Map<String, Object>) health.get("components");
		return (String) ((Map<String, Object>) components.get(component)).get("status");
	}

	// a new builder each time: WireMock's builders collect conditions as they are called
	private static RequestPatternBuilder healthQueries() {
		return getRequestedFor(urlPathEqualTo("/v1/health/service/" + Backends.SERVICE));
	}

	private RedisEndpoint currentEndpoint() {
		return ((Resolved) this.watch.current()).endpoint();
	}

	private void awaitWatchSees(int port) {
		await().atMost(PATIENCE)
			.until(() -> this.watch.current() instanceof Resolved resolved && resolved.endpoint().port() == port);
	}

}
