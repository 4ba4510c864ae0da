package io.github.redisonmesos.counter.counting;

import java.util.Map;

import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole app bound as the broker binds it since per-binding users: a real
 * {@code redis-server} whose {@code default} user is off, and the binding's own ACL user
 * ({@code username} in the credentials, {@code @admin} and {@code @dangerous} denied).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// its own context: it reads the start-up log line (redis_user=); closed after it
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class CounterRedisUserTests {

	private static final String USER = "b-0d9e4c2a-7f31-4b6e-8a15-3c2f9e7b1d40";

	private static final String PASSWORD = "Xq7vT2mR9pL4wN8sK3dF6hJ1gB5cZ0aY";

	private static final String RULES = "on >" + PASSWORD + " ~* &* +@all -@admin -@dangerous";

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@RegisterExtension
	static final Backends backends = Backends.withAclUser(USER, PASSWORD);

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		backends.registerPacedAppOnLoopback(registry);
		backends.registerBinding(registry, null);
	}

	@AfterEach
	void userBack() {
		try (Jedis admin = backends.redis().admin()) {
			admin.aclSetUser(USER, RULES.split(" "));
		}
	}

	@Test
	void countsAsTheBindingsUserAndShowsTheUserButNeverThePassword(CapturedOutput output) {
		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		ResponseEntity<String> page = this.http.getForEntity("/", String.class);
		ResponseEntity<String> health = this.http.getForEntity("/actuator/health", String.class);

		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(api.getBody()).containsEntry("redisUser", USER);
		assertThat(page.getBody()).contains("<code id=\"redis-user\">" + USER + "</code>");
		assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(health.getBody()).contains("\"user\":\"" + USER + "\"");
		try (Jedis admin = backends.redis().admin()) {
			assertThat(admin.clientList()).as("the app's connections")
				.contains("user=" + USER)
				.doesNotContain("user=default");
		}
		assertThat(api.toString() + page.getBody() + health.getBody() + output.getAll()).doesNotContain(PASSWORD);
		assertThat(output.getAll()).contains("redis_user=" + USER);
	}

	@Test
	void redisRefusesAConnectionWithoutCredentials() {
		try (Jedis anonymous = new Jedis("127.0.0.1", backends.redis().port())) {
			assertThatExceptionOfType(JedisDataException.class).isThrownBy(anonymous::ping)
				.withMessageStartingWith("NOAUTH");
		}
	}

	@Test
	void afterAclDeluserOfItsUserTheAppAnswers503RedisAuthFailedAndCountsNothing() {
		assertThat(this.http.getForEntity("/api/counter", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
		long before = backends.counter();

		try (Jedis admin = backends.redis().admin()) {
			// what unbind does: the user goes, and Redis closes its open connections
			assertThat(admin.aclDelUser(USER)).isEqualTo(1);
		}
		ResponseEntity<Map<String, Object>> api = this.http.exchange("/api/counter", HttpMethod.GET, null, JSON);
		ResponseEntity<String> page = this.http.getForEntity("/", String.class);

		assertThat(api.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(api.getBody()).containsEntry("error", "redis-auth-failed");
		assertThat((String) api.getBody().get("message")).contains("refused this app as user '" + USER + "'")
			.contains("WRONGPASS")
			.contains("bind the service again")
			.doesNotContain(PASSWORD);
		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(page.getBody()).contains("<code id=\"error\">redis-auth-failed</code>").doesNotContain(PASSWORD);
		assertThat(backends.counter()).as("nothing counted").isEqualTo(before);
	}

}
