package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.databind.JsonNode;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code ha} instance as the end-to-end TLS classes use it: provisioned with a
 * {@code tls} mode, bound, and reached by an app with nothing but its binding (the
 * Sentinels it lists, its user and password, and with TLS its CA alone and hostname
 * verification on the addresses it is given).
 */
final class HaBindings {

	static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private HaBindings() {
	}

	/**
	 * Provision an {@code ha} instance and wait until the provision succeeded.
	 * @param api the broker
	 * @param instanceId the instance
	 * @param tls its {@code tls} parameter
	 * @param bound how long it may take
	 */
	static void provision(BrokerApi api, String instanceId, String tls, Duration bound) {
		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PUT, path(instanceId) + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\",\"parameters\":{\"tls\":\""
						+ tls + "\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(bound).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			JsonNode poll = api.call(HttpMethod.GET, path(instanceId) + "/last_operation?operation=provision", null)
				.getBody();
			assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isEqualTo("succeeded");
		});
	}

	static String path(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	/**
	 * Bind an app to the instance.
	 * @param api the broker
	 * @param instanceId the instance
	 * @return the binding's credentials
	 */
	static JsonNode bind(BrokerApi api, String instanceId) {
		ResponseEntity<JsonNode> response = api.call(HttpMethod.PUT,
				path(instanceId) + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA + "\",\"bind_resource\":{\"app_guid\":\""
						+ UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	/**
	 * The Sentinels a binding lists.
	 * @param credentials the binding's credentials
	 * @param port which of each entry's ports: {@code port} or {@code tls_port}
	 * @return the three Sentinels
	 */
	static Set<HostAndPort> sentinels(JsonNode credentials, String port) {
		Set<HostAndPort> sentinels = new HashSet<>();
		credentials.path("sentinels")
			.forEach((sentinel) -> sentinels
				.add(new HostAndPort(sentinel.path("host").asText(), sentinel.path(port).asInt())));
		assertThat(sentinels).hasSize(3);
		return sentinels;
	}

	/**
	 * A client through the Sentinels, once they answer: its constructor asks them at
	 * once, and Sentinels that have just restarted (a TLS change restarts every node) may
	 * not answer yet under load (a scripts/test run: "All sentinels down").
	 * @param masterName the binding's master name
	 * @param config the binding's client settings, for the Sentinels and Redis alike
	 * @param sentinels the Sentinels the binding lists
	 * @param bound how long to keep asking
	 * @return the client
	 */
	static JedisSentineled sentineled(String masterName, JedisClientConfig config, Set<HostAndPort> sentinels,
			Duration bound) {
		return await().atMost(bound)
			.ignoreExceptions()
			.until(() -> new JedisSentineled(masterName, config, sentinels, config), Objects::nonNull);
	}

	static JedisClientConfig plainConfig(JsonNode credentials) {
		return DefaultJedisClientConfig.builder()
			.user(credentials.path("username").asText())
			.password(credentials.path("password").asText())
			.timeoutMillis(2000)
			.build();
	}

	/**
	 * TLS from the binding alone: its CA the only trust, hostname verification on the
	 * addresses the binding and the Sentinels give.
	 * @param credentials the binding's credentials
	 * @return the client configuration
	 */
	static JedisClientConfig tlsConfig(JsonNode credentials) throws Exception {
		SSLParameters verifyNames = new SSLParameters();
		verifyNames.setEndpointIdentificationAlgorithm("HTTPS");
		return DefaultJedisClientConfig.builder()
			.user(credentials.path("username").asText())
			.password(credentials.path("password").asText())
			.timeoutMillis(2000)
			.ssl(true)
			.sslSocketFactory(TlsEvidence.trustingOnly(credentials.path("ca_certificate").asText()).getSocketFactory())
			.sslParameters(verifyNames)
			.build();
	}

}
