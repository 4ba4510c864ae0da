package io.github.redisonmesos.broker.marathon;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app that creates a restored instance: its fetch, its label and the start command's
 * prologue, run as a Mesos executor runs the command ({@code sh -c} with
 * {@code MESOS_SANDBOX}) against Debian's real redis-server: the backup becomes the base
 * of the append-only file and loads, a later start never places a file over the data, and
 * a file whose hash differs stops the start and places nothing.
 */
class RestoreSeedCommandTests {

	private static final String PASSWORD = "Q2w9E8r7T6y5U4i3O2p1A0s9D8f7G6h5J4k3L2z1";

	private static final String BACKUP = "20261207T012233Z-a1b2c3";

	private static final String URL = "http://127.0.0.1:9000/backups/osb-redis/i/x.rdb?X-Amz-Signature=abc";

	@TempDir
	Path work;

	@Test
	void aSeededAppFetchesTheBackupOnceAndSaysSoInItsLabelAndTheSamplesDoNot() throws Exception {
		JsonNode app = render(seed("0".repeat(64)));
		assertThat(app.path("fetch")).hasSize(1);
		JsonNode fetch = app.path("fetch").get(0);
		assertThat(fetch.path("uri").asText()).isEqualTo(URL);
		assertThat(fetch.path("destPath").asText()).isEqualTo(RestoreSeed.SANDBOX_FILE);
		assertThat(fetch.path("cache").asBoolean(true)).isFalse();
		assertThat(fetch.path("extract").asBoolean(true)).isFalse();
		assertThat(fetch.path("executable").asBoolean(true)).isFalse();
		assertThat(app.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText())
			.endsWith(RestoreSeed.LABEL_SUFFIX + BACKUP);
		assertThat(RestoreSeed.carriesFetch(app.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText()))
			.isTrue();
		assertThat(app.path("cmd").asText()).startsWith(RedisAppDefinitions.seedCommand("data", seed("0".repeat(64))))
			.contains("redis-server");
		assertThat(MarathonSchema.violations(app)).isEmpty();
		JsonNode plain = render(null);
		assertThat(plain.has("fetch")).isFalse();
		assertThat(RestoreSeed.carriesFetch(plain.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText()))
			.isFalse();
		assertThat(seed("0".repeat(64)).toString()).doesNotContain("X-Amz-Signature");
	}

	@Test
	void theFirstStartLoadsTheBackupAsTheAppendOnlyBaseAndALaterStartNeverPlacesAFileOverTheData() throws Exception {
		byte[] rdb = rdbWith(Map.of("a", "1", "b", "2"));
		Path sandbox = Files.createDirectories(this.work.resolve("sandbox"));
		Files.write(sandbox.resolve(RestoreSeed.SANDBOX_FILE), rdb);
		JsonNode app = render(seed(sha256(rdb)));
		try (RedisServerProcess redis = start(app, sandbox); Jedis jedis = redis.admin()) {
			assertThat(jedis.get("a")).isEqualTo("1");
			assertThat(jedis.get("b")).isEqualTo("2");
			assertThat(jedis.info("persistence")).contains("aof_enabled:1").contains("loading:0");
			jedis.set("c", "written after the restore");
		}
		Path aof = sandbox.resolve("data/appendonlydir");
		assertThat(aof.resolve("appendonly.aof.1.base.rdb")).hasBinaryContent(rdb);
		assertThat(Files.readString(aof.resolve("appendonly.aof.manifest")))
			.startsWith("file appendonly.aof.1.base.rdb seq 1 type b\n");
		assertThat(sandbox.resolve(RestoreSeed.SANDBOX_FILE)).doesNotExist();

		// started again with a file in the sandbox (a fetch that ran again): the data
		// stays
		byte[] other = rdbWith(Map.of("z", "other"));
		Files.write(sandbox.resolve(RestoreSeed.SANDBOX_FILE), other);
		try (RedisServerProcess redis = start(render(seed(sha256(other))), sandbox); Jedis jedis = redis.admin()) {
			assertThat(jedis.get("c")).isEqualTo("written after the restore");
			assertThat(jedis.get("a")).isEqualTo("1");
			assertThat(jedis.exists("z")).isFalse();
		}
		assertThat(sandbox.resolve(RestoreSeed.SANDBOX_FILE)).doesNotExist();
	}

	@Test
	void aFileWhoseHashDiffersStopsTheStartAndPlacesNothing() throws Exception {
		Path sandbox = Files.createDirectories(this.work.resolve("sandbox").resolve("data"));
		sandbox = sandbox.getParent();
		Files.writeString(sandbox.resolve(RestoreSeed.SANDBOX_FILE), "not the backup");
		ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c",
				RedisAppDefinitions.seedCommand("data", seed("1".repeat(64))) + "echo redis-would-run-now")
			.redirectErrorStream(true)
			.directory(sandbox.toFile());
		shell.environment().put("MESOS_SANDBOX", sandbox.toString());
		Process process = shell.start();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).isEqualTo(1);
		assertThat(output).contains("does not match its SHA-256").doesNotContain("redis-would-run-now");
		assertThat(sandbox.resolve("data/appendonlydir")).doesNotExist();
		assertThat(sandbox.resolve(RestoreSeed.SANDBOX_FILE)).doesNotExist();
	}

	private static RestoreSeed seed(String sha256) {
		return new RestoreSeed(BACKUP, URL, sha256);
	}

	private static JsonNode render(RestoreSeed seed) {
		return TestAppDefinitions
			.render(RedisDeployment.builder("0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11", "service", "plan")
				.resources(128, 0.1, "64mb", 1)
				.admin(InstanceRecord.ADMIN_USER, Passwords.redisHash(PASSWORD))
				.seed(seed)
				.build());
	}

	private static RedisServerProcess start(JsonNode app, Path sandbox) {
		int port = FreePorts.next();
		RedisServerProcess.Launch launch = RedisServerProcess
			.shell(port, app.path("cmd").asText() + " --bind 127.0.0.1")
			.directory(sandbox)
			.environment("PORT0", Integer.toString(port))
			.environment("MESOS_SANDBOX", sandbox.toString())
			.log(sandbox.resolve("stdout-" + port))
			.user(InstanceRecord.ADMIN_USER, PASSWORD);
		for (Map.Entry<String, JsonNode> variable : app.path("env").properties()) {
			launch.environment(variable.getKey(), variable.getValue().asText());
		}
		return launch.start();
	}

	// an RDB as a real redis-server writes it
	private byte[] rdbWith(Map<String, String> keys) throws Exception {
		Path dir = Files.createTempDirectory(this.work, "source");
		try (RedisServerProcess source = RedisServerProcess
			.redisServer(FreePorts.next(),
					List.of("--save", "", "--appendonly", "no", "--dir", dir.toString(), "--bind", "127.0.0.1",
							"--user", "default", "off", "--user", "check", "on", ">check", "~*", "+@all"))
			.log(dir.resolve("redis.log"))
			.user("check", "check")
			.start(); Jedis jedis = source.admin()) {
			keys.forEach(jedis::set);
			jedis.save();
		}
		return Files.readAllBytes(dir.resolve("dump.rdb"));
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
