package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An {@code ha} instance with {@code tls: required} on the local platform (issue 28):
 * each node app fetches its own key once through the emulated Mesos fetcher, every Redis
 * and Sentinel (real redis-server 7.0.15) listens with TLS only and replicates and
 * watches over TLS; a Sentinel client with nothing but the binding (its
 * {@code ca_certificate}, hostname verification on the addresses it is given) writes with
 * {@code WAIT 1} through the kill of the primary's redis-server and loses no acknowledged
 * write; plain connections are refused; no node's private key is in Marathon's apps,
 * Consul KV, a command line or a log line.
 */
@EndToEnd
@ExtendWith(JvmOutput.class)
class TlsHaLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final Duration BOUND = Duration.ofSeconds(180);

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext context;

	private static BrokerApi broker;

	private static TestCa ca;

	private static String deliveryUrl;

	@BeforeAll
	static void start() throws Exception {
		ca = TestCa.generate("EC", "Operator TLS HA test CA");
		platform = LocalPlatform.shared();
		context = InProcessBroker.startWithCa(platform, TlsHaLocalPlatformTests.class, ca,
				"--broker.reconcile.ha-interval=1s");
		deliveryUrl = context.getEnvironment().getProperty("BROKER_TLS_DELIVERY_URL");
		broker = InProcessBroker.api(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void aSentinelClientWithOnlyTheBindingWritesOverTlsThroughTheKillOfThePrimaryAndNoKeyLeaks(CapturedOutput output)
			throws Exception {
		String instanceId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> accepted = broker.call(HttpMethod.PUT, path(instanceId) + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\","
						+ "\"parameters\":{\"tls\":\"required\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId, "provision");

		JsonNode credentials = HaBindings.bind(broker, instanceId);
		assertThat(credentials.path("uri").asText()).startsWith("rediss://");
		assertThat(credentials.path("tls_port").asInt()).isEqualTo(credentials.path("port").asInt());
		assertThat(credentials.path("ca_certificate").asText()).isEqualTo(ca.certificatePem());
		assertThat(credentials.path("sentinels")).hasSize(3)
			.allSatisfy((sentinel) -> assertThat(sentinel.path("tls_port").asInt())
				.isEqualTo(sentinel.path("port").asInt()));

		// the app's side: the binding alone, its CA the only trust, hostname verification
		// on the addresses the binding and the Sentinels give (the agents', host style
		// address)
		JedisClientConfig config = HaBindings.tlsConfig(credentials);
		Set<HostAndPort> sentinels = new HashSet<>();
		credentials.path("sentinels")
			.forEach((sentinel) -> sentinels
				.add(new HostAndPort(sentinel.path("host").asText(), sentinel.path("tls_port").asInt())));
		String masterName = credentials.path("master_name").asText();
		List<String> acknowledged = new ArrayList<>();
		HostAndPort primary;
		try (JedisSentineled app = new JedisSentineled(masterName, config, sentinels, config)) {
			for (int i = 0; i < 10; i++) {
				app.set("before-" + i, "v");
				assertThat(app.waitReplicas("before-" + i, 1, 2000)).isGreaterThanOrEqualTo(1);
				acknowledged.add("before-" + i);
			}
			primary = primary(sentinels, masterName, config);
			long pid;
			try (Jedis redis = new Jedis(primary, config)) {
				pid = processId(redis.info("server"));
			}
			assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
			await().atMost(BOUND)
				.ignoreExceptions()
				.until(() -> !primary(sentinels, masterName, config).equals(primary));
			await().atMost(BOUND).ignoreExceptions().until(() -> {
				app.set("after", "v");
				return app.waitReplicas("after", 1, 2000) >= 1;
			});
			acknowledged.add("after");
			assertThat(app.mget(acknowledged.toArray(String[]::new))).as("acknowledged writes").containsOnly("v");
		}
		// the old primary comes back as a replica, over TLS with the key on its volume
		await().atMost(BOUND).ignoreExceptions().until(() -> {
			try (Jedis old = new Jedis(primary, config)) {
				return old.info("replication").contains("role:slave")
						&& old.info("replication").contains("master_link_status:up");
			}
		});

		// plain connections are refused, to Redis and to a Sentinel
		HostAndPort sentinel = sentinels.iterator().next();
		for (HostAndPort address : List.of(primary, sentinel)) {
			assertThatThrownBy(() -> {
				try (Jedis plain = new Jedis(address,
						DefaultJedisClientConfig.builder()
							.user(credentials.path("username").asText())
							.password(credentials.path("password").asText())
							.timeoutMillis(2000)
							.build())) {
					plain.ping();
				}
			}).as("a plain connection to %s", address).isInstanceOf(Exception.class);
		}

		// a rolling update (a parameter) under a TLS Sentinel client: each node
		// re-rendered
		// with a new single-use delivery, the switch-over over TLS, every acknowledged
		// write kept
		List<String> rolled;
		try (AcknowledgedWriter writer = new AcknowledgedWriter(
				new JedisSentineled(masterName, config, sentinels, config), 1, "roll")) {
			await().atMost(BOUND).until(() -> writer.acknowledged().size() >= 10);
			assertThat(broker
				.call(HttpMethod.PATCH, path(instanceId) + "?accepts_incomplete=true",
						"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"timeout\":300}}")
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			List<String> descriptions = LastOperations.untilSucceeded(broker, instanceId, "update",
					Duration.ofSeconds(240), writer);
			assertThat(descriptions)
				.anySatisfy((description) -> assertThat(description).startsWith("rolling update: switching over"));
			writer.close();
			rolled = writer.acknowledged();
			System.out.printf("rolling update over TLS: %d acknowledged writes, longest gap %d ms%n", rolled.size(),
					writer.longestGapMillis());
		}
		try (JedisSentineled app = new JedisSentineled(masterName, config, sentinels, config)) {
			for (int from = 0; from < rolled.size(); from += 500) {
				List<String> batch = rolled.subList(from, Math.min(rolled.size(), from + 500));
				assertThat(app.mget(batch.toArray(String[]::new))).as("writes acknowledged during the roll")
					.containsOnly("v");
			}
			assertThat(app.mget(acknowledged.toArray(String[]::new))).as("writes acknowledged before")
				.containsOnly("v");
		}
		for (int node = 0; node < 3; node++) {
			String delivered = "event=tls_delivered instance_id=" + instanceId + " node=" + node + " ";
			assertThat(output.getAll().split(Pattern.quote(delivered), -1).length - 1)
				.as("node-%d's deliveries: at provision and at the roll", node)
				.isGreaterThanOrEqualTo(2);
		}

		// each node's key (the roll's new ones): on its volume, and nowhere else
		List<String> keys = keyLines(instanceId);
		assertThat(keys).as("the three nodes' keys").hasSizeGreaterThanOrEqualTo(3);
		String marathon = platform.get(platform.marathon("/v2/apps?embed=apps.tasks")).body();
		assertThat(marathon).contains("/nodes/0/delivery", "/nodes/1/delivery", "/nodes/2/delivery")
			.contains("\"REDIS_TLS\":\"required\"");
		assertNone("Marathon's apps", marathon, keys);
		assertNone("Consul KV, decoded", consulKv(), keys);
		assertNone("command lines", TlsEvidence.commandLines(), keys);
		assertNone("the broker's log", output.getAll(), keys);
		assertNone("the local platform's log", Files.readString(platform.log()), keys);
		for (int node = 0; node < 3; node++) {
			assertThat(output.getAll()).contains("event=tls_delivered instance_id=" + instanceId + " node=" + node);
		}

		// each node's fetch URI was used once: again it gets the CA alone, as does a
		// wrong
		// token, without credentials (the Mesos fetcher has none); a node that is no
		// index
		// is no delivery
		for (int node = 0; node < 3; node++) {
			String fetchUri = new ObjectMapper()
				.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId + "/node-" + node))
					.body())
				.path("app")
				.path("fetch")
				.get(0)
				.path("uri")
				.asText();
			assertThat(fetchUri).contains("/tls/v1/instances/" + instanceId + "/nodes/" + node + "/delivery?token=");
			assertThat(platform.get(fetchUri).body()).isEqualTo(ca.certificatePem());
			assertThat(platform.get(fetchUri.replaceAll("token=.*", "token=wrong")).body())
				.isEqualTo(ca.certificatePem());
			assertThat(output.getAll()).doesNotContain(fetchUri.substring(fetchUri.indexOf("token=") + 6));
		}
		assertThat(platform.get(deliveryUrl + "/tls/v1/instances/" + instanceId + "/nodes/x/delivery").statusCode())
			.isEqualTo(404);

		// tls: optional is not offered on an HA instance: refused, and nothing changes (a
		// change to disabled restarts every node at once: TlsHaChangeLocalPlatformTests)
		ResponseEntity<JsonNode> refused = broker.call(HttpMethod.PATCH, path(instanceId) + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"tls\":\"optional\"}}");
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(refused.getBody().path("description").asText()).contains("'tls'", "single-Redis plans only",
				"Nothing was changed");
		assertThat(broker.call(HttpMethod.GET, path(instanceId) + "/last_operation", null)
			.getBody()
			.path("state")
			.asText()).isEqualTo("succeeded");

		// a deprovision deletes the nodes' delivery records with the instance
		assertThat(broker
			.call(HttpMethod.DELETE,
					path(instanceId) + "?accepts_incomplete=true&service_id=" + SERVICE_ID + "&plan_id=" + HA, null)
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(instanceId, "deprovision");
		assertThat(platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/tls/" + instanceId + "?recurse=true"))
			.statusCode()).isEqualTo(404);
	}

	private static void awaitSucceeded(String instanceId, String operation) {
		AtomicReference<JsonNode> last = new AtomicReference<>();
		try {
			await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
				JsonNode poll = broker
					.call(HttpMethod.GET, path(instanceId) + "/last_operation?operation=" + operation, null)
					.getBody();
				last.set(poll);
				assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isNotEqualTo("failed");
				return "succeeded".equals(poll.path("state").asText());
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("The " + operation + " of " + instanceId + " did not succeed within " + BOUND
					+ "; its last operation said: " + last.get(), ex);
		}
	}

	private static String path(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	private static HostAndPort primary(Set<HostAndPort> sentinels, String masterName, JedisClientConfig config) {
		for (HostAndPort address : sentinels) {
			try (Jedis sentinel = new Jedis(address, config)) {
				List<String> named = sentinel.sentinelGetMasterAddrByName(masterName);
				return new HostAndPort(named.get(0), Integer.parseInt(named.get(1)));
			}
			catch (RuntimeException ex) {
				// that Sentinel is away: ask the next
			}
		}
		throw new IllegalStateException("no Sentinel answered");
	}

	private static long processId(String info) {
		Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
		assertThat(pid.find()).isTrue();
		return Long.parseLong(pid.group(1));
	}

	// the base64 lines of every node's key on its volume: any of them elsewhere would be
	// a copy of a key
	private static List<String> keyLines(String instanceId) throws IOException {
		try (Stream<Path> files = Files.walk(platform.stateDir().resolve("volumes"))) {
			List<Path> found = files.filter((file) -> file.endsWith(Path.of("tls", "redis.key")))
				.filter((file) -> file.toString().contains(instanceId))
				.toList();
			assertThat(found).as("a key on each node's volume").hasSize(3);
			List<String> lines = new ArrayList<>();
			for (Path key : found) {
				Files.readAllLines(key).stream().filter((line) -> !line.startsWith("-----")).forEach(lines::add);
			}
			return lines;
		}
	}

	private static void assertNone(String where, String text, List<String> keys) {
		for (String line : keys) {
			assertThat(text.contains(line)).as("a line of a private key in " + where).isFalse();
		}
	}

	private static String consulKv() throws Exception {
		String values = TlsEvidence.consulKv(platform);
		assertThat(values).as("Consul KV holds the nodes' delivery records").contains("tokenSha256", "\"node\":2");
		return values;
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(TlsHaLocalPlatformTests.class);
	}

	// this class's Consul KV prefix on the shared platform
	private static String kvPrefix() {
		return platform.kvPrefix(TlsHaLocalPlatformTests.class);
	}

}
