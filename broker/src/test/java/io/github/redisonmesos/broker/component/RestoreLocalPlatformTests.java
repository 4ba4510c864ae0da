package io.github.redisonmesos.broker.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restore on the local platform with its S3 store: an instance written to by a writer is
 * backed up on demand (the writer stopped first, so the backup's moment is known), more
 * is written after it, and {@code restore_from} creates a new instance that holds exactly
 * the backup's keys (a full SCAN of both, key by key, value by value), with AOF on, whose
 * app no longer carries the fetch of the pre-signed URL, and that serves a new binding.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(3)
@EndToEnd
@ExtendWith(JvmOutput.class)
class RestoreLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext broker;

	private static BrokerApi api;

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		broker = InProcessBroker.start(platform, RestoreLocalPlatformTests.class, "--BROKER_BACKUPS_BUCKET=backups",
				"--BROKER_BACKUPS_ENDPOINT=" + platform.s3(), "--BROKER_BACKUPS_PATH_STYLE=true",
				"--BROKER_BACKUPS_ACCESS_KEY_ID=local-platform",
				"--BROKER_BACKUPS_SECRET_ACCESS_KEY=local-platform-secret");
		api = InProcessBroker.api(broker);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void aSmallInstanceIsRestoredWithEveryKeyOfItsBackupAndServesANewBinding(CapturedOutput output) throws Exception {
		String source = UUID.randomUUID().toString();
		provisionAndWait(source, SMALL, null);
		JsonNode credentials = bind(source, SMALL);
		Map<String, Object> atBackup;
		try (Jedis app = WireMockBrokerTestSupport.connect(credentials)) {
			writeUnderAWriter(app, credentials);
			atBackup = everything(app);
		}
		assertThat(atBackup).hasSizeGreaterThan(1000);
		String backupId = backUpNow(source);
		try (Jedis app = WireMockBrokerTestSupport.connect(credentials)) {
			// after the backup's moment: not in the restored instance
			app.set("after-the-backup", "x");
			app.del("string:0");
		}

		String restored = UUID.randomUUID().toString();
		JsonNode last = provisionAndWait(restored, SMALL,
				"{\"instance\":\"" + source + "\",\"backup\":\"" + backupId + "\"}");
		assertThat(last.path("description").asText()).contains("backup " + backupId);

		JsonNode restoredCredentials = bind(restored, SMALL);
		try (Jedis app = WireMockBrokerTestSupport.connect(restoredCredentials)) {
			assertSameKeysAndValues(everything(app), atBackup);
			app.set("written-after-the-restore", "y");
			assertThat(app.get("written-after-the-restore")).isEqualTo("y");
		}
		JsonNode app = JSON.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + restored)).body())
			.path("app");
		assertThat(app.path("fetch")).as("the pre-signed URL's fetch is gone from Marathon").isEmpty();
		assertThat(app.path("labels").path("osb_settings").asText()).doesNotContain("restore=");
		assertThat(app.path("cmd").asText()).doesNotContain("restore.rdb");
		// the pre-signed URL (its signature) and the store's secret in no log line
		assertThat(output.getAll()).contains("operation=restore instance_id=" + restored);
		for (String log : List.of(output.getAll(), Files.readString(platform.log()))) {
			assertThat(log).doesNotContain("X-Amz-Signature").doesNotContain("local-platform-secret");
		}
	}

	@Test
	void anHaInstanceIsRestoredIntoAPrimaryWithEveryKeyAndReplicasThatSyncFromIt() throws Exception {
		String source = UUID.randomUUID().toString();
		provisionAndWait(source, HA, null);
		JsonNode credentials = bind(source, HA);
		Map<String, Object> atBackup;
		HostAndPort sourcePrimary = primary(source, credentials);
		JsonNode primaryCredentials = at(credentials, sourcePrimary);
		try (Jedis app = WireMockBrokerTestSupport.connect(primaryCredentials)) {
			writeUnderAWriter(app, primaryCredentials);
			assertThat(app.waitReplicas(2, 5000)).isEqualTo(2);
			atBackup = everything(app);
		}
		assertThat(atBackup).hasSizeGreaterThan(1000);
		String backupId = backUpNow(source);

		String restored = UUID.randomUUID().toString();
		JsonNode last = provisionAndWait(restored, HA, "{\"instance\":\"" + source + "\",\"backup\":\"latest\"}");
		assertThat(last.path("description").asText()).contains("Redis is running");

		JsonNode restoredCredentials = bind(restored, HA);
		HostAndPort restoredPrimary = primary(restored, restoredCredentials);
		try (Jedis app = WireMockBrokerTestSupport.connect(at(restoredCredentials, restoredPrimary))) {
			assertSameKeysAndValues(everything(app), atBackup);
			app.set("written-after-the-restore", "y");
			assertThat(app.waitReplicas(2, 5000)).as("both replicas in sync with the restored primary").isEqualTo(2);
		}
		for (HostAndPort node : nodes(restored)) {
			if (!node.equals(restoredPrimary)) {
				try (Jedis replica = WireMockBrokerTestSupport.connect(at(restoredCredentials, node))) {
					assertThat(replica.info("replication")).contains("role:slave");
					assertSameKeysAndValues(
							everything(replica).entrySet()
								.stream()
								.filter((entry) -> !entry.getKey().equals("written-after-the-restore"))
								.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
							atBackup);
				}
			}
		}
		JsonNode nodeZero = JSON
			.readTree(platform.get(platform.marathon("/v2/apps/" + group() + "/" + restored + "/node-0")).body())
			.path("app");
		assertThat(nodeZero.path("fetch")).as("node-0's fetch is gone from Marathon").isEmpty();
		assertThat(nodeZero.path("labels").path("osb_settings").asText()).doesNotContain("restore=");
	}

	// the nodes Consul lists as passing
	private static List<HostAndPort> nodes(String instanceId) throws Exception {
		List<HostAndPort> nodes = new ArrayList<>();
		for (JsonNode entry : JSON
			.readTree(platform.get(platform.consul("/v1/health/service/" + ServiceNames.of(instanceId) + "?passing"))
				.body())) {
			nodes.add(new HostAndPort(entry.path("Service").path("Address").asText(),
					entry.path("Service").path("Port").asInt()));
		}
		return nodes;
	}

	// the node that says it is the primary, once all three are listed
	private static HostAndPort primary(String instanceId, JsonNode credentials) {
		HostAndPort[] primary = new HostAndPort[1];
		await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
			List<HostAndPort> nodes = nodes(instanceId);
			primary[0] = null;
			for (HostAndPort node : nodes) {
				try (Jedis jedis = WireMockBrokerTestSupport.connect(at(credentials, node))) {
					if (jedis.info("replication").contains("role:master")) {
						primary[0] = node;
					}
				}
			}
			return nodes.size() == 3 && primary[0] != null;
		});
		return primary[0];
	}

	// the binding's user at one node
	private static JsonNode at(JsonNode credentials, HostAndPort node) {
		return ((com.fasterxml.jackson.databind.node.ObjectNode) credentials.deepCopy()).put("host", node.getHost())
			.put("port", node.getPort());
	}

	/**
	 * Writes keys of every type while a writer thread writes beside, then stops the
	 * writer: what the instance holds afterwards is the dataset to back up.
	 */
	static void writeUnderAWriter(Jedis app, JsonNode credentials) throws InterruptedException {
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicLong written = new AtomicLong();
		Thread writer = new Thread(() -> {
			try (Jedis jedis = WireMockBrokerTestSupport.connect(credentials)) {
				while (writing.get()) {
					long n = written.incrementAndGet();
					jedis.set("writer:" + n, "value-" + n);
					jedis.incr("writer:count");
				}
			}
		}, "restore-test-writer");
		writer.start();
		for (int i = 0; i < 500; i++) {
			app.set("string:" + i, "value-" + i);
			app.hset("hash:" + (i % 20), "field-" + i, "value-" + i);
			app.rpush("list:" + (i % 10), "item-" + i);
			app.sadd("set:" + (i % 10), "member-" + i);
			app.zadd("zset:" + (i % 10), i, "member-" + i);
		}
		app.set("binary:\u00e9\u00e8", "\u00ff\u0000\u00fe");
		await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= 200);
		writing.set(false);
		writer.join(10_000);
		assertThat(writer.isAlive()).isFalse();
	}

	/**
	 * Every key of a Redis and its value, by a full SCAN, each value read by its type.
	 * @param jedis the connection
	 * @return key to value (a String, a map, a list, a sorted set or a set, sorted)
	 */
	static Map<String, Object> everything(Jedis jedis) {
		Map<String, Object> all = new TreeMap<>();
		String cursor = ScanParams.SCAN_POINTER_START;
		do {
			ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(500));
			for (String key : page.getResult()) {
				all.put(key, value(jedis, key));
			}
			cursor = page.getCursor();
		}
		while (!ScanParams.SCAN_POINTER_START.equals(cursor));
		return all;
	}

	private static Object value(Jedis jedis, String key) {
		return switch (jedis.type(key)) {
			case "string" -> jedis.get(key);
			case "hash" -> new TreeMap<>(jedis.hgetAll(key));
			case "list" -> jedis.lrange(key, 0, -1);
			case "set" -> new ArrayList<>(new java.util.TreeSet<>(jedis.smembers(key)));
			case "zset" -> jedis.zrangeWithScores(key, 0, -1).toString();
			default -> throw new AssertionError("key " + key + " of a type this test does not write");
		};
	}

	static void assertSameKeysAndValues(Map<String, Object> restored, Map<String, Object> atBackup) {
		assertThat(restored.keySet()).as("the keys").isEqualTo(atBackup.keySet());
		List<String> differ = new ArrayList<>();
		for (Map.Entry<String, Object> entry : atBackup.entrySet()) {
			if (!entry.getValue().equals(restored.get(entry.getKey()))) {
				differ.add(entry.getKey());
			}
		}
		assertThat(differ).as("keys whose value differs").isEmpty();
	}

	private static String backUpNow(String instanceId) {
		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"backup\":\"now\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		String operation = accepted.getBody().path("operation").asText();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode last = api
				.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation?operation=" + operation,
						null)
				.getBody();
			assertThat(last.path("state").asText()).as(last.toString()).isNotEqualTo("failed");
			return "succeeded".equals(last.path("state").asText());
		});
		return operation.substring("backup:".length());
	}

	private static JsonNode provisionAndWait(String instanceId, String planId, String restoreFrom) {
		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\""
						+ ((restoreFrom != null) ? ",\"parameters\":{\"restore_from\":" + restoreFrom + "}" : "")
						+ "}");
		assertThat(accepted.getStatusCode()).as(String.valueOf(accepted.getBody())).isEqualTo(HttpStatus.ACCEPTED);
		JsonNode[] last = new JsonNode[1];
		try {
			await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() -> {
				last[0] = api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
					.getBody();
				assertThat(last[0].path("state").asText()).as(last[0].toString()).isNotEqualTo("failed");
				return "succeeded".equals(last[0].path("state").asText());
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("instance " + instanceId + " not provisioned: " + last[0], ex);
		}
		return last[0];
	}

	private static JsonNode bind(String instanceId, String planId) {
		ResponseEntity<JsonNode> response = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
						+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(RestoreLocalPlatformTests.class);
	}

}
