package io.github.redisonmesos.broker.component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.BrokerApplication;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.InProcessStarts;
import io.github.redisonmesos.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker on a secured local platform, as on a production cluster: Marathon and Consul
 * over HTTPS with a certificate the operator's CA signed (trusted through an SSL bundle
 * of the CA's PEM, not the JVM's trust store), and Marathon requiring HTTP basic
 * credentials ({@code LOCAL_PLATFORM_MARATHON_CREDENTIALS}).
 * <p>
 * Beside other classes: it reads the JVM's log output through {@link JvmOutput}.
 */
@ExtendWith(JvmOutput.class)
@EndToEnd
class SecuredPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String MARATHON_PASSWORD = "marathon-s3cret-pw";

	@TempDir
	static Path work;

	private static TestCertificates certificates;

	private static LocalPlatform platform;

	@BeforeAll
	static void start() throws Exception {
		certificates = TestCertificates.generate(work);
		List<String> arguments = new ArrayList<>(certificates.serverArguments("platform"));
		arguments.add("--local-platform.marathon-credentials=osb-broker:" + MARATHON_PASSWORD);
		platform = new LocalPlatform(work.resolve("state"), arguments, certificates.clientContext());
	}

	@AfterAll
	static void stop() {
		if (platform != null) {
			platform.close();
		}
	}

	@Test
	void withMarathonsCredentialsTheBrokerProvisionsAndBindsOverHttpsTrustingTheOperatorsCa(CapturedOutput output)
			throws Exception {
		assertThat(platform.marathon("")).startsWith("https://");
		try (ConfigurableApplicationContext broker = broker("--MARATHON_USERNAME=osb-broker",
				"--MARATHON_PASSWORD=" + MARATHON_PASSWORD)) {
			BrokerApi api = new BrokerApi(port(broker));
			String instanceId = UUID.randomUUID().toString();
			assertThat(provision(api, instanceId).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> "succeeded"
					.equals(api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
						.getBody()
						.path("state")
						.asText()));
			ResponseEntity<JsonNode> bound = api.call(HttpMethod.PUT,
					"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL + "\"}");
			assertThat(bound.getStatusCode()).isEqualTo(HttpStatus.CREATED);
			JsonNode credentials = bound.getBody().path("credentials");
			assertThat(credentials.path("consul_url").asText()).startsWith("https://");
			try (Jedis app = WireMockBrokerTestSupport.connect(credentials)) {
				assertThat(app.incr("counter")).isEqualTo(1);
			}
		}
		assertNoMarathonPassword(output);
	}

	@Test
	void withoutMarathonsCredentialsAProvisionIsRefusedNamingTheVariables(CapturedOutput output) {
		try (ConfigurableApplicationContext broker = broker()) {
			ResponseEntity<JsonNode> refused = provision(new BrokerApi(port(broker)), UUID.randomUUID().toString());
			assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
			assertThat(refused.getBody().path("description").asText()).contains("answered 401")
				.contains("MARATHON_USERNAME and MARATHON_PASSWORD")
				.contains("MARATHON_TOKEN");
		}
		assertNoMarathonPassword(output);
	}

	private static void assertNoMarathonPassword(CapturedOutput output) {
		String basic = Base64.getEncoder()
			.encodeToString(("osb-broker:" + MARATHON_PASSWORD).getBytes(StandardCharsets.UTF_8));
		// the capture works: the broker's lines are in it
		assertThat(output.getAll()).contains("operation=provision");
		assertThat(output.getAll()).doesNotContain(MARATHON_PASSWORD).doesNotContain(basic);
	}

	private static ResponseEntity<JsonNode> provision(BrokerApi api, String instanceId) {
		return api.call(HttpMethod.PUT, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}");
	}

	private static ConfigurableApplicationContext broker(String... extra) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off", "--BROKER_USERNAME=" + BrokerApi.USERNAME,
				"--BROKER_PASSWORD=" + BrokerApi.PASSWORD, "--BROKER_SECRETS_KEY=" + TestSecrets.KEY,
				"--MARATHON_URL=" + platform.marathon(""), "--CONSUL_URL=" + platform.consul(""),
				"--BROKER_MARATHON_REDIS_PORTS=" + platform.redisPorts(SecuredPlatformTests.class),
				// the operator's CA, as PEM text, in an SSL bundle both clients
				// trust
				"--spring.ssl.bundle.pem.operator.truststore.certificate=" + certificates.caPem(),
				"--MARATHON_SSL_BUNDLE=operator", "--CONSUL_SSL_BUNDLE=operator"));
		arguments.addAll(List.of(extra));
		return InProcessStarts
			.alone(() -> new SpringApplicationBuilder(BrokerApplication.class).run(arguments.toArray(String[]::new)));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
	}

}
