package io.github.redisonmesos.counter.counting;

import java.util.List;
import java.util.Map;

import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
 * The app bound to an instance with {@code tls: optional}: Consul lists the plain port,
 * the binding adds {@code tls_port} and {@code ca_certificate} to a {@code redis://} uri,
 * and the app counts over TLS on {@code tls_port}, trusting only that CA and checking
 * that the certificate names the binding's host ({@code localhost}) although it connects
 * to the address Consul gives.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// its own context: it reads the start-up log line (tls=); closed after it
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class CounterTlsOptionalTests {

	static final String USER = "b-5e0c7a2d-1f4b-4e8a-9c3d-7b6a5f4e3d21";

	static final String PASSWORD = "Tq8vW3mR1pL6wN2sK9dF4hJ7gB0cZ5aY";

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withTls(USER, PASSWORD, false, "localhost");

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerBinding(registry, null);
	}

	@Test
	void countsOverTlsOnTheBindingsTlsPortBesideThePlainOneConsulLists(CapturedOutput output) {
		long before = backends.counter();

		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		ResponseEntity<String> page = this.http.getForEntity("/", String.class);

		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(backends.counter()).isEqualTo(before + 2);
		assertThat(appConnectionPorts(backends)).isNotEmpty().containsOnly(backends.tlsPort());
		assertThat(output).contains("tls=tls_port:" + backends.tlsPort() + ",server_name:localhost")
			.doesNotContain("BEGIN CERTIFICATE");
	}

	/**
	 * The server-side ports of the app's connections, as Redis lists them
	 * ({@code CLIENT LIST}'s {@code laddr}).
	 */
	static List<Integer> appConnectionPorts(Backends around) {
		try (Jedis admin = around.redis().admin()) {
			return appConnectionPorts(admin.clientList());
		}
	}

	static List<Integer> appConnectionPorts(String clientList) {
		return clientList.lines()
			.filter((line) -> line.contains(" name=sample-counter-app "))
			.map((line) -> line.replaceAll(".* laddr=[^ ]*:([0-9]+) .*", "$1"))
			.map(Integer::valueOf)
			.toList();
	}

}
