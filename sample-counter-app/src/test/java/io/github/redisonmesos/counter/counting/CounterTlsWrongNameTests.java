package io.github.redisonmesos.counter.counting;

import java.util.Map;

import io.github.redisonmesos.counter.support.Backends;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A certificate that does not name the binding's host is refused: the CA signed it, but
 * for {@code localhost}, and the binding says {@code redis-other.service.consul}. The app
 * answers 503 and counts nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CounterTlsWrongNameTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withTls(CounterTlsOptionalTests.USER, CounterTlsOptionalTests.PASSWORD,
			true, "redis-other.service.consul");

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerBinding(registry, null);
	}

	@Test
	void aCertificateForAnotherNameIsRefusedAndNothingIsCounted() {
		long before = backends.counter();

		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);

		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(backends.counter()).isEqualTo(before);
		assertThat(CounterTlsOptionalTests.appConnectionPorts(backends)).isEmpty();
	}

}
