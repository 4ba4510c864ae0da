package io.github.redisonmesos.broker.component;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.backup.BackupsProperties;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.s3.TestS3Stores;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backups through the OSB API on the local platform with its S3 store: an update with
 * {@code {"backup": "now"}} is an asynchronous operation whose last_operation reports the
 * backup and that changes nothing else; the instance's GET lists the backups; a bad
 * request answers 400 with a description; the schedule (a short interval here) backs
 * every instance up and sets the age of its newest complete backup.
 */
@EndToEnd
class BackupsLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	static Path work;

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext broker;

	private static BrokerApi api;

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		broker = InProcessBroker.start(platform, BackupsLocalPlatformTests.class, "--BROKER_BACKUPS_BUCKET=backups",
				"--BROKER_BACKUPS_ENDPOINT=" + platform.s3(), "--BROKER_BACKUPS_PATH_STYLE=true",
				"--BROKER_BACKUPS_ACCESS_KEY_ID=local-platform",
				"--BROKER_BACKUPS_SECRET_ACCESS_KEY=local-platform-secret", "--BROKER_BACKUPS_INTERVAL=20s",
				"--broker.backups.tick=1s");
		api = InProcessBroker.api(broker);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void backupNowIsAnAsyncUpdateThatReportsTheBackupAndTheInstanceListsIt() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId);
		JsonNode credentials = bind(instanceId);
		try (Jedis app = WireMockBrokerTestSupport.connect(credentials)) {
			for (int i = 0; i < 1000; i++) {
				app.set("key:" + i, "value-" + i);
			}
			app.incr("counter");
		}

		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"backup\":\"now\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		String operation = accepted.getBody().path("operation").asText();
		assertThat(operation).matches("backup:[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}");
		String backupId = operation.substring("backup:".length());

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode last = api
				.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation?operation=" + operation,
						null)
				.getBody();
			assertThat(last.path("state").asText()).isNotEqualTo("failed");
			return "succeeded".equals(last.path("state").asText());
		});
		JsonNode last = api
			.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation?operation=" + operation,
					null)
			.getBody();
		assertThat(last.path("description").asText()).startsWith("backup " + backupId + " complete: ")
			.containsPattern("sha256 [0-9a-f]{64}");

		JsonNode instance = api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId, null).getBody();
		JsonNode backup = null;
		for (JsonNode listed : instance.path("parameters").path("backups")) {
			if (listed.path("id").asText().equals(backupId)) {
				backup = listed;
			}
		}
		assertThat(backup).as("the backup in the instance's GET").isNotNull();
		assertThat(backup.path("state").asText()).isEqualTo("complete");
		assertThat(backup.path("size").asLong()).isPositive();
		assertThat(backup.path("sha256").asText()).matches("[0-9a-f]{64}");
		assertThat(backup.path("taken_at").asText()).isNotBlank();
		assertThat(instance.path("parameters").has("backup")).as("not remembered as a parameter").isFalse();
		assertThat(instance.path("plan_id").asText()).isEqualTo(SMALL);
		// the instance's own operation is untouched: its provision
		assertThat(api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
			.getBody()
			.path("state")
			.asText()).isEqualTo("succeeded");
	}

	@Test
	void aBackupRequestThatIsNotJustNowAnswers400WithADescription() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId);
		ResponseEntity<JsonNode> later = api.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"backup\":\"later\"}}");
		assertThat(later.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(later.getBody().path("description").asText()).contains("\"now\"");
		ResponseEntity<JsonNode> mixed = api.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", "{\"service_id\":\"" + SERVICE_ID
						+ "\",\"parameters\":{\"backup\":\"now\",\"maxmemory-policy\":\"allkeys-lru\"}}");
		assertThat(mixed.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(mixed.getBody().path("description").asText()).contains("alone");
		ResponseEntity<JsonNode> unknown = api.call(HttpMethod.GET,
				"/v2/service_instances/" + instanceId + "/last_operation?operation=backup:20990101T000000Z-abcdef",
				null);
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(unknown.getBody().path("description").asText()).contains("has no backup");
	}

	@Test
	void theScheduleBacksEveryInstanceUpAndSetsTheAgeOfItsNewestBackup() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId);
		// interval 20s: the instance's turn comes within 20s of the next window
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			JsonNode instance = api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId, null).getBody();
			for (JsonNode listed : instance.path("parameters").path("backups")) {
				if (listed.path("state").asText().equals("complete")) {
					return true;
				}
			}
			return false;
		});
		MeterRegistry meters = broker.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> meters.find("broker.backups.newest.age").tag("instance_id", instanceId).gauge() != null);
		assertThat(meters.find("broker.backups.newest.age").tag("instance_id", instanceId).gauge().value())
			.isBetween(0.0, 60.0);
		assertThat(meters.find("broker.backups").tag("outcome", "complete").counter().count()).isPositive();
	}

	@Test
	void everyRestoreRefusalAnswersWithItsDescriptionAndCreatesNothing() throws Exception {
		String source = UUID.randomUUID().toString();
		provisionAndWait(source);
		String backupId = backUpNow(source);

		assertRefused(restoreBody("space-1", "{\"instance\":\"" + source + "\"}"), HttpStatus.BAD_REQUEST,
				"restore_from takes");
		assertRefused(restoreBody("space-1", "{\"instance\":\"../etc\",\"backup\":\"latest\"}"), HttpStatus.BAD_REQUEST,
				"is not an instance id");
		assertRefused(restoreBody("space-2", from(source, backupId)), HttpStatus.UNPROCESSABLE_ENTITY,
				"is in another space");
		assertRefused(restoreBody("space-1", from(source, "20990101T000000Z-abcdef")), HttpStatus.UNPROCESSABLE_ENTITY,
				"has no backup 20990101T000000Z-abcdef");
		assertRefused(restoreBody("space-1", from(UUID.randomUUID().toString(), "latest")),
				HttpStatus.UNPROCESSABLE_ENTITY, "There is no instance");

		// the object changed in the store after the backup
		JsonNode listed = api.call(HttpMethod.GET, "/v2/service_instances/" + source, null)
			.getBody()
			.path("parameters")
			.path("backups");
		assertThat(listed).isNotEmpty();
		try (S3Client s3 = TestS3Stores
			.client(new BackupsProperties(URI.create(platform.s3()), "us-east-1", "backups", true, "local-platform",
					"local-platform-secret", platform.backupsPrefix(BackupsLocalPlatformTests.class),
					Duration.ofHours(24), 7, 1, DataSize.ofMegabytes(8), Duration.ofMinutes(1), Duration.ofHours(1)))) {
			s3.putObject((put) -> put.bucket("backups")
				.key(platform.backupsPrefix(BackupsLocalPlatformTests.class) + source + "/" + backupId + ".rdb"),
					RequestBody.fromString("not the backup"));
		}
		assertRefused(restoreBody("space-1", from(source, backupId)), HttpStatus.UNPROCESSABLE_ENTITY,
				"does not match its recorded SHA-256");
	}

	@Test
	void anHaInstanceIsBackedUpFromAReplicaNeverThePrimaryAndTheBackupHoldsEveryKey() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(instanceId, HA);
		JsonNode credentials = bind(instanceId, HA);
		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.user(credentials.path("username").asText())
			.password(credentials.path("password").asText())
			.timeoutMillis(2000)
			.build();
		// every node listed, the primary with both replicas' links up
		List<HostAndPort> nodes = new ArrayList<>();
		await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
			nodes.clear();
			for (JsonNode entry : JSON.readTree(
					platform.get(platform.consul("/v1/health/service/" + ServiceNames.of(instanceId) + "?passing"))
						.body())) {
				nodes.add(new HostAndPort(entry.path("Service").path("Address").asText(),
						entry.path("Service").path("Port").asInt()));
			}
			return nodes.size() == 3 && nodes.stream()
				.filter((node) -> info(node, config, "replication").contains("master_link_status:up"))
				.count() == 2;
		});
		HostAndPort primary = nodes.stream()
			.filter((node) -> info(node, config, "replication").contains("role:master"))
			.findFirst()
			.orElseThrow();
		try (Jedis jedis = new Jedis(primary, config)) {
			for (int i = 0; i < 500; i++) {
				jedis.set("key:" + i, "value-" + i);
			}
			assertThat(jedis.waitReplicas(2, 5000)).isEqualTo(2);
		}
		String fullSyncsBefore = syncFull(primary, config);

		// A backup asked for while one runs is that one (BackupRunner#start), and the
		// schedule backs a new instance up at its first tick: the backup the first
		// request
		// gets may have begun before the writes above (seen under load: 0 keys). One
		// asked
		// for once that one ended begins after every acknowledged write.
		backUpNow(instanceId);
		String backupId = backUpNow(instanceId);

		assertThat(syncFull(primary, config)).as("the primary streamed nothing").isEqualTo(fullSyncsBefore);
		byte[] rdb;
		try (InputStream in = TestS3Stores.store(storeProperties())
			.open(platform.backupsPrefix(BackupsLocalPlatformTests.class) + instanceId + "/" + backupId + ".rdb")) {
			rdb = in.readAllBytes();
		}
		Path data = Files.createDirectories(work.resolve("restored-" + instanceId));
		Files.write(data.resolve("dump.rdb"), rdb);
		try (RedisServerProcess copy = RedisServerProcess
			.redisServer(FreePorts.next(),
					List.of("--save", "", "--appendonly", "no", "--dir", data.toString(), "--user", "default", "off",
							"--user", "check", "on", ">check", "~*", "+@all"))
			.log(data.resolve("redis.log"))
			.user("check", "check")
			.start(); Jedis jedis = copy.admin()) {
			assertThat(jedis.dbSize()).isEqualTo(500);
			assertThat(jedis.get("key:499")).isEqualTo("value-499");
		}
	}

	private static String info(HostAndPort node, JedisClientConfig config, String section) {
		try (Jedis jedis = new Jedis(node, config)) {
			return jedis.info(section);
		}
	}

	private static String syncFull(HostAndPort node, JedisClientConfig config) {
		return info(node, config, "stats").lines()
			.filter((line) -> line.startsWith("sync_full:"))
			.findFirst()
			.orElseThrow();
	}

	private static BackupsProperties storeProperties() {
		return new BackupsProperties(URI.create(platform.s3()), "us-east-1", "backups", true, "local-platform",
				"local-platform-secret", platform.backupsPrefix(BackupsLocalPlatformTests.class), Duration.ofHours(24),
				7, 1, DataSize.ofMegabytes(8), Duration.ofMinutes(1), Duration.ofHours(1));
	}

	private static String backUpNow(String instanceId) {
		String operation = api
			.call(HttpMethod.PATCH, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"backup\":\"now\"}}")
			.getBody()
			.path("operation")
			.asText();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> "succeeded"
				.equals(api
					.call(HttpMethod.GET,
							"/v2/service_instances/" + instanceId + "/last_operation?operation=" + operation, null)
					.getBody()
					.path("state")
					.asText()));
		return operation.substring("backup:".length());
	}

	private static String from(String instanceId, String backupId) {
		return "{\"instance\":\"" + instanceId + "\",\"backup\":\"" + backupId + "\"}";
	}

	private static String restoreBody(String space, String restoreFrom) {
		return "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
				+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"" + space
				+ "\",\"parameters\":{\"restore_from\":" + restoreFrom + "}}";
	}

	private static void assertRefused(String body, HttpStatus status, String description) throws Exception {
		String instanceId = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> refused = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", body);
		assertThat(refused.getStatusCode()).isEqualTo(status);
		assertThat(refused.getBody().path("description").asText()).contains(description);
		// nothing created: no record, no Marathon app
		assertThat(api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId, null).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(platform.get(platform.marathon("/v2/apps/" + group() + "/" + instanceId)).statusCode())
			.isEqualTo(404);
	}

	private static void provisionAndWait(String instanceId) {
		provisionAndWait(instanceId, SMALL);
	}

	private static void provisionAndWait(String instanceId, String planId) {
		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + planId
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> "succeeded"
				.equals(api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
					.getBody()
					.path("state")
					.asText()));
	}

	private static JsonNode bind(String instanceId) {
		return bind(instanceId, SMALL);
	}

	private static JsonNode bind(String instanceId, String planId) {
		ResponseEntity<JsonNode> response = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	// this class's Marathon group on the shared platform (LocalPlatform.brokerSettings)
	private static String group() {
		return platform.group(BackupsLocalPlatformTests.class);
	}

}
