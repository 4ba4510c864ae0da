package io.github.redisonmesos.counter.counting;

import java.time.Duration;
import java.util.Map;

import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.support.Backends;
import io.github.redisonmesos.counter.support.ConsulStubs;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that meets a connection error asks Consul once and retries once, before the
 * watch has heard of the move. Its own context: the watch's slow query must not leak into
 * other tests. Bound through the demo's variables, without a password or a Consul token.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// its own context: its watch is left in Consul's slow query; closed after the class
@DirtiesContext
class CounterReresolveTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withoutPassword();

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private EndpointWatch watch;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerConsulVariables(registry);
	}

	@Test
	void redisErrorTriggersOneReresolutionAndTheRetrySucceedsBeforeTheWatchKnows() {
		long before = ((Number) counter().getBody().get("counter")).longValue();
		int oldPort = backends.redis().port();
		backends.redis().stop();
		RedisServerProcess moved = backends.startRedis(FreePorts.next());
		backends.consul().resetAll();
		backends.stubs()
			.stubPassingInstanceSeenLateByWatch(Backends.SERVICE, "127.0.0.1", moved.port(), backends.nextIndex(),
					Duration.ofSeconds(3));
		assertThat(((Resolved) this.watch.current()).endpoint().port()).as("watch still on the old address")
			.isEqualTo(oldPort);

		ResponseEntity<Map<String, Object>> after = counter();

		assertThat(after.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(after.getBody()).containsEntry("redisPort", moved.port());
		assertThat(((Number) after.getBody().get("counter")).longValue()).isEqualTo(before + 1);
		backends.consul()
			.verify(1, getRequestedFor(urlPathEqualTo("/v1/health/service/redis")).withQueryParam("index", absent()));
		// bound without CONSUL_TOKEN: neither the watch nor the re-resolution sends one
		assertThat(backends.consul().findAll(getRequestedFor(urlPathEqualTo("/v1/health/service/redis")))).isNotEmpty()
			.allSatisfy((request) -> {
				assertThat(request.containsHeader(ConsulStubs.TOKEN_HEADER)).isFalse();
				assertThat(request.queryParameter("token").isPresent()).isFalse();
			});
	}

	private ResponseEntity<Map<String, Object>> counter() {
		return this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
	}

}
