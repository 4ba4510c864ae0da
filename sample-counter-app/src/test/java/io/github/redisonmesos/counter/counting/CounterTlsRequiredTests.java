package io.github.redisonmesos.counter.counting;

import java.util.Map;

import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

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

/**
 * The app bound to an instance with {@code tls: required}: a {@code rediss://} uri,
 * Consul lists the TLS port, the app counts over TLS on it and keeps its pooled
 * connections (one handshake per connection, not per request).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CounterTlsRequiredTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withTls(CounterTlsOptionalTests.USER, CounterTlsOptionalTests.PASSWORD,
			true, "localhost");

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerBinding(registry, null);
	}

	@Test
	void countsOverTlsOnThePortConsulListsAndReusesItsConnections() {
		long before = backends.counter();
		for (int i = 0; i < 20; i++) {
			ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
			assertThat(api.getStatusCode()).isEqualTo(HttpStatus.OK);
		}

		assertThat(backends.counter()).isEqualTo(before + 20);
		try (Jedis admin = backends.redis().admin()) {
			String clients = admin.clientList();
			assertThat(CounterTlsOptionalTests.appConnectionPorts(clients)).isNotEmpty()
				.containsOnly(backends.tlsPort());
			// sequential requests on a pool: a connection or two, not one per request
			assertThat(CounterTlsOptionalTests.appConnectionPorts(clients)).hasSizeLessThanOrEqualTo(2);
			assertThat(
					Long.parseLong(admin.info("stats").replaceAll("(?s).*total_connections_received:(\\d+).*", "$1")))
				.as("connections Redis accepted since start (the test's own admin ones included)")
				.isLessThan(15);
		}
	}

}
