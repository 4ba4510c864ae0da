package io.github.redisonmesos.counter.counting;

import java.util.Map;

import io.github.redisonmesos.counter.support.Backends;
import io.github.redisonmesos.counter.support.ConsulStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

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

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app with {@code CONSUL_TOKEN} set to a token that Consul, with ACLs on, does
 * not know: every answer is 403 "ACL not found", so the app never learns where Redis is
 * and says which setting to fix, without ever showing the token.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// its own context: it reads the start-up log line (event=binding); closed after it
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class CounterConsulTokenRefusedTests {

	private static final String REVOKED_TOKEN = "a4c9e2f1-7b3d-4e6a-9f08-1d5c3b7a2e96";

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withConsulRefusingTheToken();

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerConsulVariables(registry, REVOKED_TOKEN);
		// Consul never names a Redis: requests give up after 500 ms, not 3 s
		registry.add("counter.wait.max-wait", () -> "500ms");
	}

	@Test
	void apiAnswers503ConsulUnreachableSayingTheTokenWasRefusedAndWhatToCheck() {
		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);

		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(api.getBody()).containsEntry("error", "consul-unreachable");
		assertThat((String) api.getBody().get("message"))
			.startsWith("Consul refused the ACL token for passing instances of service 'redis'")
			.contains("HTTP 403")
			.contains("ACL not found")
			.contains("CONSUL_TOKEN")
			.contains("service:read")
			.doesNotContain(REVOKED_TOKEN);
	}

	@Test
	void pageAnswers503ConsulUnreachableWithoutTheToken() {
		ResponseEntity<String> page = this.http.getForEntity("/", String.class);

		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(page.getBody()).contains("<code id=\"error\">consul-unreachable</code>")
			.contains("Consul refused the ACL token")
			.doesNotContain(REVOKED_TOKEN);
	}

	@Test
	void healthSaysConsulIsDownWithoutTheToken() {
		ResponseEntity<String> health = this.http.getForEntity("/actuator/health", String.class);

		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(health.getBody()).contains("Consul refused the ACL token").doesNotContain(REVOKED_TOKEN);
	}

	@Test
	void tokenReachesConsulInTheHeaderButNoLogLine(CapturedOutput output) {
		backends.consul()
			.verify(moreThanOrExactly(1), getRequestedFor(urlPathEqualTo("/v1/health/service/" + Backends.SERVICE))
				.withHeader(ConsulStubs.TOKEN_HEADER, equalTo(REVOKED_TOKEN)));
		assertThat(output.getAll()).contains("event=binding").contains("consul_token=set");
		assertThat(output.getAll()).contains("event=consul_lookup_failed").doesNotContain(REVOKED_TOKEN);
	}

}
