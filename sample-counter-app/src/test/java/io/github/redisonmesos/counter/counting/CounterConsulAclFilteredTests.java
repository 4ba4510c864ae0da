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
 * The whole app with a token whose policy cannot read the Redis service: Consul answers
 * 200 with no entry and the X-Consul-Results-Filtered-By-ACLs header. The app says which
 * permission its token lacks, at once, instead of "no passing instance" after a wait.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CounterConsulAclFilteredTests {

	private static final String TOKEN = "5d2c8e4a-1f3b-4a6c-9e7d-0b8a6c4e2f13";

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withConsulHidingRedisByAcls();

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerConsulVariables(registry, TOKEN);
	}

	@Test
	void apiAnswers503ConsulAclDeniedNamingTheTokenAndThePermissionWithoutWaiting() {
		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);

		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(api.getBody()).containsEntry("error", "consul-acl-denied");
		assertThat((String) api.getBody().get("message"))
			.startsWith("Consul's ACLs hid every passing instance of service '" + Backends.SERVICE + "'")
			.contains("consul_token", "CONSUL_APP_TOKEN", "service:read on '" + Backends.SERVICE + "'", "node:read")
			// answered at once: a failure after a wait says "(waited ... ms"
			.doesNotContain("waited")
			.doesNotContain(TOKEN);
	}

	@Test
	void pageAnswers503ConsulAclDeniedWithTheMessage() {
		ResponseEntity<String> page = this.http.getForEntity("/", String.class);

		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(page.getBody()).contains("<code id=\"error\">consul-acl-denied</code>")
			.contains("service:read on &#39;" + Backends.SERVICE + "&#39;")
			.doesNotContain(TOKEN);
	}

}
