package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.backup.BackupsProperties;
import io.github.redisonmesos.broker.s3.TestS3Stores;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.JavaJar;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Backups with brokers as processes (their jar) on the local platform with its S3 store:
 * a broker killed ({@code SIGKILL}) while it streams a backup leaves no backup listed
 * complete that is not, the next broker's sweep fails it and aborts its multipart upload,
 * and the next backup completes with the object's size and hash; two brokers asked for a
 * backup of one instance at once take one backup (the lock in Consul KV), and a
 * deprovisioned instance's backups are deleted after the volume retention.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(2)
@EndToEnd
class BackupBrokersLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final String STORE_SECRET = "local-platform-secret";

	private static final Duration BOUND = Duration.ofSeconds(120);

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	static Path work;

	private static LocalPlatform platform;

	private static S3Client s3;

	private static final List<Process> brokers = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		s3 = TestS3Stores.client(storeProperties());
	}

	@AfterAll
	static void stop() throws Exception {
		for (Process broker : brokers) {
			broker.destroy();
			if (!broker.waitFor(20, TimeUnit.SECONDS)) {
				broker.destroyForcibly();
			}
		}
		if (s3 != null) {
			s3.close();
		}
	}

	@Test
	void aBrokerKilledMidBackupLeavesNothingCompleteTheNextSweepsItAndTheNextBackupCompletes() throws Exception {
		int firstPort = FreePorts.next();
		Process first = startBroker(firstPort, "first", "1h");
		BrokerApi api = new BrokerApi(firstPort);
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(api, instanceId);
		fill(bind(api, instanceId), 30_000);

		Instant requested = Instant.now();
		String operation = backUpNow(api, instanceId);
		String backupId = operation.substring("backup:".length());
		// mid-stream: the record names its upload, and the store holds a part of it
		JsonNode[] record = new JsonNode[1];
		await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			record[0] = backupRecord(instanceId, backupId);
			String uploadId = record[0].path("uploadId").asText(null);
			return uploadId != null && !s3.listParts(
					(request) -> request.bucket("backups").key(record[0].path("objectKey").asText()).uploadId(uploadId))
				.parts()
				.isEmpty();
		});
		first.destroyForcibly();
		assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String objectKey = record[0].path("objectKey").asText();
		String uploadId = record[0].path("uploadId").asText();

		assertThat(backupRecord(instanceId, backupId).path("state").asText()).isEqualTo("RUNNING");
		assertThatExceptionOfType(NoSuchKeyException.class).as("no object")
			.isThrownBy(() -> s3.headObject((request) -> request.bucket("backups").key(objectKey)));

		// the next broker: its sweep fails the backup once stale-after (30 s here) has
		// passed since it was taken
		Duration staleAfter = Duration.ofSeconds(30);
		int secondPort = FreePorts.next();
		startBroker(secondPort, "second", staleAfter.toSeconds() + "s");
		BrokerApi next = new BrokerApi(secondPort);
		Instant asked = Instant.now();
		String listedState = listed(next, instanceId, backupId).path("state").asText();
		if (asked.isBefore(requested.plus(staleAfter))) {
			// before stale-after, no sweep can have failed it
			assertThat(listedState).as("listed by the next broker before stale-after").isEqualTo("running");
		}
		else {
			// a start slower than stale-after (a loaded machine; a run once saw "failed"
			// here at 15 s): its sweep may have run already, and the wait below checks
			// what it did
			System.out.printf(
					"backup brokers: the next broker answered %d ms after the backup was asked for, "
							+ "past stale-after: listed %s%n",
					Duration.between(requested, asked).toMillis(), listedState);
			assertThat(listedState).isIn("running", "failed");
		}
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			JsonNode last = lastOperation(next, instanceId, operation);
			assertThat(last.path("state").asText()).isEqualTo("failed");
			assertThat(last.path("description").asText()).contains("stopped before it finished");
		});
		// its upload aborted: the parts the store held before the kill are gone
		// (S3Proxy's
		// filesystem backend lists none; S3 answers NoSuchUpload)
		assertThat(partsOf(objectKey, uploadId)).as("its upload aborted").isZero();
		assertThatExceptionOfType(NoSuchKeyException.class)
			.isThrownBy(() -> s3.headObject((request) -> request.bucket("backups").key(objectKey)));
		assertThat(listed(next, instanceId, backupId).path("state").asText()).isEqualTo("failed");

		String after = backUpNow(next, instanceId);
		awaitSucceeded(next, instanceId, after);
		JsonNode complete = listed(next, instanceId, after.substring("backup:".length()));
		assertThat(complete.path("state").asText()).isEqualTo("complete");
		String completeKey = backupRecord(instanceId, after.substring("backup:".length())).path("objectKey").asText();
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		long size = 0;
		try (InputStream object = s3.getObject((request) -> request.bucket("backups").key(completeKey))) {
			byte[] buffer = new byte[64 * 1024];
			for (int read = object.read(buffer); read != -1; read = object.read(buffer)) {
				sha256.update(buffer, 0, read);
				size += read;
			}
		}
		assertThat(size).isEqualTo(complete.path("size").asLong()).isGreaterThan(20L * 1024 * 1024);
		assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(complete.path("sha256").asText());
	}

	@Test
	void twoBrokersAskedAtOnceTakeOneBackupOfAnInstance() throws Exception {
		int onePort = FreePorts.next();
		int otherPort = FreePorts.next();
		startBroker(onePort, "one", "1h");
		startBroker(otherPort, "other", "1h");
		BrokerApi one = new BrokerApi(onePort);
		BrokerApi other = new BrokerApi(otherPort);
		String instanceId = UUID.randomUUID().toString();
		provisionAndWait(one, instanceId);
		fill(bind(one, instanceId), 2_000);

		// both while Redis waits repl-diskless-sync-delay (5 s) before it streams
		CompletableFuture<String> fromOne = CompletableFuture.supplyAsync(() -> backUpNow(one, instanceId));
		CompletableFuture<String> fromOther = CompletableFuture.supplyAsync(() -> backUpNow(other, instanceId));
		String operation = fromOne.get(60, TimeUnit.SECONDS);
		assertThat(fromOther.get(60, TimeUnit.SECONDS)).as("the backup running is the one asked for")
			.isEqualTo(operation);
		awaitSucceeded(other, instanceId, operation);
		JsonNode backups = one.call(HttpMethod.GET, "/v2/service_instances/" + instanceId, null)
			.getBody()
			.path("parameters")
			.path("backups");
		assertThat(backups).hasSize(1);
		assertThat(backups.get(0).path("state").asText()).isEqualTo("complete");
		assertThat(platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/backup-locks/" + instanceId)).statusCode())
			.as("the lock is released")
			.isEqualTo(404);
		// and the next one, asked of the other broker, is a backup of its own
		String next = backUpNow(other, instanceId);
		assertThat(next).isNotEqualTo(operation);
		awaitSucceeded(one, instanceId, next);

		// deprovisioned: its backups are kept for the volume retention (5 s here), then
		// deleted, objects and records
		List<String> keys = new ArrayList<>();
		for (String id : List.of(operation, next)) {
			keys.add(backupRecord(instanceId, id.substring("backup:".length())).path("objectKey").asText());
		}
		ResponseEntity<JsonNode> deprovision = one.call(HttpMethod.DELETE, "/v2/service_instances/" + instanceId
				+ "?service_id=" + SERVICE_ID + "&plan_id=" + SMALL + "&accepts_incomplete=true", null);
		assertThat(deprovision.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		awaitSucceeded(one, instanceId, "deprovision");
		await().atMost(BOUND)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/backups/" + instanceId + "/?keys"))
				.statusCode() == 404);
		for (String key : keys) {
			assertThatExceptionOfType(NoSuchKeyException.class)
				.isThrownBy(() -> s3.headObject((request) -> request.bucket("backups").key(key)));
		}
		// the note that kept them past the tombstone goes too (two brokers' ticks may
		// write
		// it again as the other deletes: the next tick, past the retention, removes it)
		await().atMost(BOUND)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> platform.get(platform.consul("/v1/kv/" + kvPrefix() + "/backups-removed/" + instanceId))
				.statusCode() == 404);
	}

	// the broker's jar as a process: its secrets in its environment, never on its command
	// line
	private static Process startBroker(int port, String name, String staleAfter) throws IOException {
		Path jar = Path.of(System.getProperty("broker.jar", "target/broker.jar"));
		assertThat(jar).as("the broker's jar (built by package, before the end-to-end tier)").isRegularFile();
		List<String> command = new ArrayList<>(List.of("java", "-Xmx256m"));
		command.addAll(JavaJar.arguments(jar));
		command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--MARATHON_URL=" + platform.marathon(""), "--CONSUL_URL=" + platform.consul(""),
				"--BROKER_BACKUPS_BUCKET=backups", "--BROKER_BACKUPS_ENDPOINT=" + platform.s3(),
				"--BROKER_BACKUPS_PATH_STYLE=true", "--BROKER_BACKUPS_ACCESS_KEY_ID=local-platform",
				"--BROKER_BACKUPS_INTERVAL=24h", "--broker.backups.tick=1s", "--broker.backups.part-size=5MB",
				"--broker.backups.stale-after=" + staleAfter, "--BROKER_VOLUMES_RETENTION=5s"));
		// this class's part of the shared platform: its ports, group, KV and backup
		// prefixes
		command.addAll(platform.brokerSettings(BackupBrokersLocalPlatformTests.class));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(work.resolve("broker-" + name + ".log").toFile());
		builder.environment()
			.putAll(Map.of("BROKER_USERNAME", BrokerApi.USERNAME, "BROKER_PASSWORD", BrokerApi.PASSWORD,
					"BROKER_SECRETS_KEY", TestSecrets.KEY, "BROKER_BACKUPS_SECRET_ACCESS_KEY", STORE_SECRET));
		Process broker = builder.start();
		brokers.add(broker);
		BrokerApi api = new BrokerApi(port);
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
			assertThat(broker.isAlive()).as("broker %s exited; see %s", name, work).isTrue();
			return api.call(HttpMethod.GET, "/v2/catalog", null).getStatusCode() == HttpStatus.OK;
		});
		return broker;
	}

	private static int partsOf(String key, String uploadId) {
		try {
			return s3.listParts((request) -> request.bucket("backups").key(key).uploadId(uploadId)).parts().size();
		}
		catch (NoSuchUploadException ex) {
			return 0;
		}
	}

	// the broker's record, as it is in Consul KV (it holds no secret)
	private static JsonNode backupRecord(String instanceId, String backupId) throws Exception {
		String body = platform
			.get(platform.consul("/v1/kv/" + kvPrefix() + "/backups/" + instanceId + "/" + backupId + "?raw"))
			.body();
		return JSON.readTree(body);
	}

	private static JsonNode listed(BrokerApi api, String instanceId, String backupId) {
		for (JsonNode backup : api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId, null)
			.getBody()
			.path("parameters")
			.path("backups")) {
			if (backup.path("id").asText().equals(backupId)) {
				return backup;
			}
		}
		throw new AssertionError("backup " + backupId + " is not listed");
	}

	private static String backUpNow(BrokerApi api, String instanceId) {
		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PATCH,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"backup\":\"now\"}}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		return accepted.getBody().path("operation").asText();
	}

	private static JsonNode lastOperation(BrokerApi api, String instanceId, String operation) {
		return api
			.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation?operation=" + operation,
					null)
			.getBody();
	}

	private static void awaitSucceeded(BrokerApi api, String instanceId, String operation) {
		await().atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> {
			JsonNode last = lastOperation(api, instanceId, operation);
			assertThat(last.path("state").asText()).as(last.path("description").asText()).isNotEqualTo("failed");
			return "succeeded".equals(last.path("state").asText());
		});
	}

	private static void provisionAndWait(BrokerApi api, String instanceId) {
		ResponseEntity<JsonNode> accepted = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}");
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(BOUND)
			.until(() -> "succeeded"
				.equals(api.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation", null)
					.getBody()
					.path("state")
					.asText()));
	}

	private static JsonNode bind(BrokerApi api, String instanceId) {
		ResponseEntity<JsonNode> response = api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
						+ "\",\"bind_resource\":{\"app_guid\":\"" + UUID.randomUUID() + "\"}}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return response.getBody().path("credentials");
	}

	// random 1 KB values: an RDB compresses repeated ones to nothing
	private static void fill(JsonNode credentials, int keys) {
		try (Jedis app = WireMockBrokerTestSupport.connect(credentials); Pipeline pipeline = app.pipelined()) {
			Random random = new Random(keys);
			for (int i = 0; i < keys; i++) {
				byte[] value = new byte[1024];
				random.nextBytes(value);
				pipeline.set(("key:" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
			}
			pipeline.sync();
		}
	}

	private static BackupsProperties storeProperties() {
		return new BackupsProperties(URI.create(platform.s3()), "us-east-1", "backups", true, "local-platform",
				STORE_SECRET, platform.backupsPrefix(BackupBrokersLocalPlatformTests.class), Duration.ofHours(24), 7, 1,
				DataSize.ofMegabytes(5), Duration.ofMinutes(1), Duration.ofHours(1));
	}

	// this class's Consul KV prefix on the shared platform
	private static String kvPrefix() {
		return platform.kvPrefix(BackupBrokersLocalPlatformTests.class);
	}

}
