package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSocketFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A {@code small} instance with {@code tls: required} (and one through every mode,
 * {@code optional} included) on the local platform (issue 28): the app fetches its key
 * once through the emulated Mesos fetcher, a real redis-server serves TLS only, and an
 * app with nothing but the binding (its {@code ca_certificate} and the Consul DNS name it
 * gives, hostname verification on) connects; a plain connection is refused; the private
 * key is in no Marathon app, no Consul KV value, no process's command line and no log
 * line.
 */
@EndToEnd
@ExtendWith(JvmOutput.class)
class TlsLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext context;

	private static BrokerApi broker;

	private static TestCa ca;

	@BeforeAll
	static void start() throws Exception {
		ca = TestCa.generate("EC", "Operator TLS test CA");
		platform = LocalPlatform.shared();
		context = InProcessBroker.startWithCa(platform, TlsLocalPlatformTests.class, ca,
				"--BROKER_MARATHON_REDIS_PORTS=" + ports(0), "--BROKER_CREDENTIALS_HOST_STYLE=consul-dns",
				"--broker.catalog.plans[0].id=" + SMALL, "--broker.catalog.plans[0].name=small",
				"--broker.catalog.plans[0].mem-mb=128", "--broker.catalog.plans[0].cpus=0.1",
				"--broker.catalog.plans[0].maxmemory=16mb", "--broker.catalog.plans[0].volume-gb=1");
		broker = InProcessBroker.api(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void aRequiredInstanceServesTlsOnlyAndItsKeyIsNowhereButTheVolume(CapturedOutput output) throws Exception {
		String instanceId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> accepted = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\","
						+ "\"parameters\":{\"tls\":\"required\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId);

		JsonNode credentials = bind(instanceId);
		String host = "redis-" + instanceId + ".service.consul";
		int port = credentials.path("port").asInt();
		assertThat(credentials.path("host").asText()).isEqualTo(host);
		assertThat(credentials.path("tls_port").asInt()).isEqualTo(port);
		assertThat(credentials.path("uri").asText()).startsWith("rediss://").endsWith("@" + host + ":" + port);
		assertThat(credentials.path("ca_certificate").asText()).isEqualTo(ca.certificatePem());

		// the app's side: the binding's CA alone, hostname verification on the name it
		// gives
		try (Jedis app = tls(credentials, host)) {
			assertThat(app.set("over", "tls")).isEqualTo("OK");
			assertThat(app.get("over")).isEqualTo("tls");
		}
		assertThatThrownBy(() -> tls(credentials, "redis-someone-else.service.consul").ping())
			.as("a certificate for another name is refused")
			.hasStackTraceContaining("No subject alternative DNS name matching");
		assertThatThrownBy(() -> {
			try (Jedis plain = plain(credentials)) {
				plain.ping();
			}
		}).as("a plain connection is refused").isInstanceOf(Exception.class);

		// the key: on the instance's volume, and nowhere else
		List<String> key = keyLines(instanceId);
		assertThat(key).isNotEmpty();
		String marathon = platform.get(platform.marathon("/v2/apps?embed=apps.tasks")).body();
		assertThat(marathon).contains("tls-delivery.pem").contains("\"REDIS_TLS\":\"required\"");
		assertNone("Marathon's apps", marathon, key);
		assertNone("Consul KV, decoded", consulKv(), key);
		assertNone("command lines", TlsEvidence.commandLines(), key);
		assertNone("the broker's log", output.getAll(), key);
		assertNone("the local platform's log", Files.readString(platform.log()), key);
		// the delivery was used once: a second fetch with the same URI gets the CA alone
		String fetchUri = JSON
			.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).body())
			.path("app")
			.path("fetch")
			.get(0)
			.path("uri")
			.asText();
		assertThat(platform.get(fetchUri).body()).isEqualTo(ca.certificatePem());
		assertThat(output.getAll()).contains("event=tls_delivered instance_id=" + instanceId);
		assertThat(output.getAll()).doesNotContain(fetchUri.substring(fetchUri.indexOf("token=") + 6));
	}

	@Test
	void anUpdateFromDisabledToRequiredRestartsRedisWithTlsAndKeepsTheData() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> accepted = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId);
		JsonNode plain = bind(instanceId);
		assertThat(plain.path("uri").asText()).startsWith("redis://");
		assertThat(plain.has("ca_certificate")).isFalse();
		try (Jedis app = plain(plain)) {
			app.set("kept", "across the change");
		}
		ResponseEntity<JsonNode> update = broker.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"tls\":\"required\"}}");
		assertThat(update.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId);
		// a binding made now is the one that knows TLS (a binding's credentials are fixed
		// when it is made: apps bound before rebind)
		JsonNode credentials = bind(instanceId);
		assertThat(credentials.path("uri").asText()).startsWith("rediss://");
		try (Jedis app = tls(credentials, "redis-" + instanceId + ".service.consul")) {
			assertThat(app.get("kept")).isEqualTo("across the change");
		}
	}

	@Test
	void optionalServesTlsBesideThePlainPortAndUpdatesBetweenTheModesKeepTheData() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String host = "redis-" + instanceId + ".service.consul";
		assertThat(broker
			.call(HttpMethod.PUT, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
							+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId);
		JsonNode disabled = bind(instanceId);
		try (Jedis app = plain(disabled)) {
			app.set("kept", "through every mode");
		}

		// disabled -> optional: the same Redis on its plain port, and TLS on a port of
		// its
		// own beside it
		update(instanceId, "optional");
		JsonNode optional = bind(instanceId);
		int port = optional.path("port").asInt();
		int tlsPort = optional.path("tls_port").asInt();
		assertThat(port).isEqualTo(disabled.path("port").asInt());
		assertThat(tlsPort).isNotZero().isNotEqualTo(port);
		assertThat(optional.path("uri").asText()).startsWith("redis://").endsWith("@" + host + ":" + port);
		assertThat(optional.path("ca_certificate").asText()).isEqualTo(ca.certificatePem());
		try (Jedis overTls = tls(optional, host); Jedis overPlain = plain(optional)) {
			assertThat(overTls.get("kept")).isEqualTo("through every mode");
			assertThat(overPlain.get("kept")).isEqualTo("through every mode");
			overTls.set("written", "over tls");
			assertThat(overPlain.get("written")).as("one Redis behind both ports").isEqualTo("over tls");
		}
		JsonNode app = JSON.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).body())
			.path("app");
		assertThat(app.path("portDefinitions")).hasSize(2);
		assertThat(app.path("portDefinitions").get(1).path("port").asInt()).isEqualTo(tlsPort);

		// optional -> required: TLS only, on the instance's own port; the data kept
		update(instanceId, "required");
		JsonNode required = bind(instanceId);
		assertThat(required.path("uri").asText()).startsWith("rediss://");
		assertThat(required.path("tls_port").asInt()).isEqualTo(port);
		try (Jedis overTls = tls(required, host)) {
			assertThat(overTls.get("kept")).isEqualTo("through every mode");
		}
		assertThatThrownBy(() -> plain(required).ping()).as("a plain connection is refused")
			.isInstanceOf(Exception.class);

		// required -> optional -> disabled: plain again, the data kept, the TLS port the
		// instance claimed the first time used again
		update(instanceId, "optional");
		assertThat(bind(instanceId).path("tls_port").asInt()).isEqualTo(tlsPort);
		update(instanceId, "disabled");
		JsonNode back = bind(instanceId);
		assertThat(back.has("tls_port")).isFalse();
		try (Jedis overPlain = plain(back)) {
			assertThat(overPlain.get("written")).isEqualTo("over tls");
		}
	}

	private static void update(String instanceId, String tls) {
		assertThat(broker
			.call(HttpMethod.PATCH, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"tls\":\"" + tls + "\"}}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId);
	}

	// at the address Consul's DNS would give for the binding's host
	private static Jedis plain(JsonNode credentials) throws Exception {
		return new Jedis(
				new HostAndPort(platform.resolve(credentials.path("host").asText()), credentials.path("port").asInt()),
				DefaultJedisClientConfig.builder()
					.user(credentials.path("username").asText())
					.password(credentials.path("password").asText())
					.timeoutMillis(2000)
					.build());
	}

	@Test
	void withHostStyleAddressTheCertificateNamesTheAgentTheBindingGives() throws Exception {
		int port = FreePorts.next();
		try (ConfigurableApplicationContext addressBroker = InProcessBroker.start(platform, TlsLocalPlatformTests.class,
				port, "--BROKER_MARATHON_REDIS_PORTS=" + ports(1), "--BROKER_CREDENTIALS_HOST_STYLE=address",
				"--BROKER_TLS_CA_CERTIFICATE=" + ca.certificatePem(),
				"--BROKER_TLS_CA_PRIVATE_KEY=" + ca.privateKeyPem(),
				"--BROKER_TLS_DELIVERY_URL=http://127.0.0.1:" + port, "--broker.catalog.plans[0].id=" + SMALL,
				"--broker.catalog.plans[0].name=small", "--broker.catalog.plans[0].mem-mb=128",
				"--broker.catalog.plans[0].cpus=0.1", "--broker.catalog.plans[0].maxmemory=16mb",
				"--broker.catalog.plans[0].volume-gb=1")) {
			BrokerApi api = InProcessBroker.api(addressBroker);
			String instanceId = UUID.randomUUID().toString();
			assertThat(api
				.call(HttpMethod.PUT, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
						"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
								+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\","
								+ "\"parameters\":{\"tls\":\"required\"}}")
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(Duration.ofSeconds(120))
				.until(() -> api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
					.getBody()
					.path("state")
					.asText(), "succeeded"::equals);
			ResponseEntity<JsonNode> bound = api.call(HttpMethod.PUT,
					"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
							+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
			JsonNode credentials = bound.getBody().path("credentials");
			String host = credentials.path("host").asText();
			assertThat(host).startsWith("127.0.1.");
			// the app as any Redis client: the host it was given, the CA, hostname
			// verification
			try (Jedis app = tls(credentials, host)) {
				assertThat(app.set("by", "address")).isEqualTo("OK");
			}
			assertThat(platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/tls/" + instanceId)).statusCode())
				.isEqualTo(200);
			// a deprovision takes the delivery record with the app
			assertThat(api
				.call(HttpMethod.DELETE,
						"/v2/service_instances/" + instanceId + "?accepts_incomplete=true&service_id=" + SERVICE_ID
								+ "&plan_id=" + SMALL,
						null)
				.getStatusCode()
				.is2xxSuccessful()).isTrue();
			// the platform polls until the deprovision has finished (410 once the record
			// is a
			// tombstone's)
			await().atMost(Duration.ofSeconds(120)).until(() -> {
				ResponseEntity<JsonNode> poll = api.call(HttpMethod.GET,
						"/v2/service_instances/" + instanceId + "/last_operation?operation=deprovision", null);
				return poll.getStatusCode() == HttpStatus.GONE
						|| "succeeded".equals(poll.getBody().path("state").asText());
			});
			assertThat(platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/tls/" + instanceId)).statusCode())
				.isEqualTo(404);
		}
	}

	@Test
	void aCertificateDueForRenewalIsReplacedByARedeployWithANewDeliveryAndTheDataStays(CapturedOutput output)
			throws Exception {
		int port = FreePorts.next();
		// 40 s certificates renewed 30 s before expiry: due 10 s after each delivery
		try (ConfigurableApplicationContext renewing = InProcessBroker.start(platform, TlsLocalPlatformTests.class,
				port, "--BROKER_MARATHON_REDIS_PORTS=" + ports(2), "--BROKER_CREDENTIALS_HOST_STYLE=consul-dns",
				"--BROKER_TLS_CA_CERTIFICATE=" + ca.certificatePem(),
				"--BROKER_TLS_CA_PRIVATE_KEY=" + ca.privateKeyPem(), "--BROKER_TLS_CERTIFICATE_VALIDITY=40s",
				"--BROKER_TLS_RENEW_BEFORE=30s", "--broker.reconcile.interval=1s",
				"--BROKER_TLS_DELIVERY_URL=http://127.0.0.1:" + port, "--broker.catalog.plans[0].id=" + SMALL,
				"--broker.catalog.plans[0].name=small", "--broker.catalog.plans[0].mem-mb=128",
				"--broker.catalog.plans[0].cpus=0.1", "--broker.catalog.plans[0].maxmemory=16mb",
				"--broker.catalog.plans[0].volume-gb=1")) {
			BrokerApi api = InProcessBroker.api(renewing);
			String instanceId = UUID.randomUUID().toString();
			String host = "redis-" + instanceId + ".service.consul";
			assertThat(api
				.call(HttpMethod.PUT, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
						"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
								+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\","
								+ "\"parameters\":{\"tls\":\"required\"}}")
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(Duration.ofSeconds(120))
				.until(() -> api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
					.getBody()
					.path("state")
					.asText(), "succeeded"::equals);
			JsonNode credentials = api
				.call(HttpMethod.PUT, "/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
						"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
								+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}")
				.getBody()
				.path("credentials");
			X509Certificate first = await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> served(credentials, host), (served) -> served != null);
			assertThat(first.getNotAfter().getTime() - first.getNotBefore().getTime())
				.as("the validity asked for (and the five minutes of clock skew before)")
				.isLessThanOrEqualTo(Duration.ofSeconds(40).plusMinutes(5).toMillis());
			try (Jedis app = tls(credentials, host)) {
				assertThat(app.set("renewed", "kept")).isEqualTo("OK");
			}

			// due 10 s after the delivery: a redeploy, a new delivery, a new key
			X509Certificate renewed = await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.until(() -> served(credentials, host),
						(served) -> served != null && !served.getSerialNumber().equals(first.getSerialNumber()));
			assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
			assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
			assertThat(output.getAll()).contains("event=tls_renewal instance_id=" + instanceId);
			try (Jedis app = tls(credentials, host)) {
				assertThat(app.get("renewed")).as("the data through the renewal").isEqualTo("kept");
			}
		}
	}

	// the certificate Redis serves on the binding's TLS port, verified against the
	// binding's CA and host
	private static X509Certificate served(JsonNode credentials, String host) throws Exception {
		SSLContext context = TlsEvidence.trustingOnly(credentials.path("ca_certificate").asText());
		int port = credentials.path("tls_port").asInt();
		String address = platform.resolve(credentials.path("host").asText());
		try (Socket plain = new Socket()) {
			plain.connect(new InetSocketAddress(address, port), 2000);
			plain.setSoTimeout(2000);
			try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
				SSLParameters parameters = socket.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
				socket.setSSLParameters(parameters);
				socket.startHandshake();
				return (X509Certificate) socket.getSession().getPeerCertificates()[0];
			}
		}
	}

	private static void awaitSucceeded(String instanceId) {
		await().atMost(Duration.ofSeconds(120))
			.until(() -> broker.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
				.getBody()
				.path("state")
				.asText(), (state) -> !state.equals("in progress"));
		assertThat(broker.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
			.getBody()
			.path("state")
			.asText()).isEqualTo("succeeded");
	}

	@Test
	void aTlsValueThatIsNoModeAnswers400NamingTheParameter() {
		String instanceId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> refused = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\","
						+ "\"parameters\":{\"tls\":\"sometimes\"}}");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(refused.getBody().path("description").asText()).contains("'tls'");
	}

	private static JsonNode bind(String instanceId) {
		ResponseEntity<JsonNode> response = broker.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	// Consul's DNS is not on this machine: the socket goes to the address it would give
	// for the binding's host (LocalPlatform.resolve), TLS checks the given name
	private static Jedis tls(JsonNode credentials, String host) throws Exception {
		SSLContext context = TlsEvidence.trustingOnly(credentials.path("ca_certificate").asText());
		int port = credentials.path("tls_port").asInt();
		String address = platform.resolve(credentials.path("host").asText());
		JedisSocketFactory sockets = () -> {
			try {
				Socket plain = new Socket();
				plain.connect(new InetSocketAddress(address, port), 2000);
				plain.setSoTimeout(2000);
				SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
				SSLParameters parameters = socket.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
				socket.setSSLParameters(parameters);
				socket.startHandshake();
				return socket;
			}
			catch (IOException ex) {
				throw new redis.clients.jedis.exceptions.JedisConnectionException(ex);
			}
		};
		return new Jedis(sockets,
				DefaultJedisClientConfig.builder()
					.user(credentials.path("username").asText())
					.password(credentials.path("password").asText())
					.build());
	}

	// the base64 lines of the key on the instance's volume: any of them elsewhere would
	// be
	// a copy of the key
	private static List<String> keyLines(String instanceId) throws IOException {
		try (Stream<Path> files = Files.walk(platform.stateDir().resolve("volumes"))) {
			Path key = files.filter((file) -> file.endsWith(Path.of("tls", "redis.key")))
				.filter((file) -> file.toString().contains(instanceId))
				.min(Comparator.naturalOrder())
				.orElseThrow();
			return Files.readAllLines(key).stream().filter((line) -> !line.startsWith("-----")).toList();
		}
	}

	private static void assertNone(String where, String text, List<String> key) {
		for (String line : key) {
			assertThat(text).as("a line of the private key in " + where).doesNotContain(line);
		}
		assertThat(text).as(where).doesNotContain("-----BEGIN PRIVATE KEY-----");
	}

	private static String consulKv() throws Exception {
		String values = TlsEvidence.consulKv(platform);
		assertThat(values).as("Consul KV holds the delivery record").contains("tokenSha256");
		return values;
	}

	// a third of this class's slice of the platform's ports for each of its three brokers
	private static String ports(int third) {
		LocalPlatform.Ports slice = platform.redisPorts(TlsLocalPlatformTests.class);
		int size = (slice.last() - slice.first() + 1) / 3;
		int first = slice.first() + third * size;
		return first + "-" + (first + size - 1);
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(TlsLocalPlatformTests.class);
	}

	// this class's Consul KV prefix on the shared platform
	private static String kvPrefix() {
		return platform.kvPrefix(TlsLocalPlatformTests.class);
	}

}
