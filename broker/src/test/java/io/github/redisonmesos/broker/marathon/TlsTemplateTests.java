package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.tls.IssuedCertificate;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shipped app template with {@code tls: required}: the app fetches its delivery once,
 * and its {@code cmd}, run by Debian's real redis-server as a Mesos executor would, moves
 * the key and certificate to the volume, serves TLS only on {@code $PORT0} and keeps the
 * volume's key when a later start gets the CA alone.
 */
class TlsTemplateTests {

	private static final String PASSWORD = "admin-password-for-the-tls-template";

	private static final String FETCH_URI = "https://broker.example/tls/v1/instances/tls-1/delivery?token=t";

	@TempDir
	Path sandbox;

	private Process process;

	// the second port the last start offered ($PORT1)
	private int tlsPort;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.process != null) {
			this.process.destroy();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void anAppWithTlsFetchesItsDeliveryOnceIntoTheSandbox() {
		JsonNode app = render(TlsMode.REQUIRED);
		assertThat(app.path("fetch")).hasSize(1);
		JsonNode fetch = app.path("fetch").get(0);
		assertThat(fetch.path("uri").asText()).isEqualTo(FETCH_URI);
		assertThat(fetch.path("destPath").asText()).isEqualTo("tls-delivery.pem");
		assertThat(fetch.path("extract").asBoolean(true)).isFalse();
		assertThat(fetch.path("cache").asBoolean(true)).isFalse();
		assertThat(app.path("env").path("REDIS_TLS").asText()).isEqualTo("required");
		assertThat(app.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText()).endsWith(";tls=required");
		assertThat(app.toString()).doesNotContain("-----BEGIN");
	}

	@Test
	void anAppWithoutTlsFetchesNothingAndKeepsItsLabel() {
		JsonNode app = render(TlsMode.DISABLED);
		assertThat(app.path("fetch").isMissingNode() || app.path("fetch").isEmpty()).isTrue();
		assertThat(app.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText()).doesNotContain("tls");
	}

	@Test
	void requiredServesTlsOnlyWithTheDeliveredKeyAndKeepsItOnTheVolume() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		IssuedCertificate issued = ca.certificates().issue(List.of("redis-tls-1.service.consul"), List.of("127.0.0.1"));
		Path delivery = this.sandbox.resolve("tls-delivery.pem");
		Files.writeString(delivery, issued.privateKey() + issued.certificate() + issued.caCertificate());
		int port = start(render(TlsMode.REQUIRED));
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> pingOverTls(ca, port));
		assertThat(delivery).doesNotExist();
		Path key = this.sandbox.resolve("data/tls/redis.key");
		assertThat(Files.readString(key)).isEqualTo(issued.privateKey());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
		assertThat(Files.readString(this.sandbox.resolve("data/tls/redis.crt"))).isEqualTo(issued.certificate());
		assertThat(Files.readString(this.sandbox.resolve("data/tls/ca.crt"))).isEqualTo(issued.caCertificate());
		assertThatThrownBy(() -> plainPing(port)).as("a plain connection is refused").isInstanceOf(Exception.class);
		assertThat(ProcessHandle.of(this.process.pid()).flatMap((p) -> p.info().commandLine()).orElse(""))
			.doesNotContain("-----BEGIN");

		// a restart on the same volume: the fetch now gets the CA alone
		stop();
		Files.writeString(delivery, issued.caCertificate());
		int again = start(render(TlsMode.REQUIRED));
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> pingOverTls(ca, again));
		assertThat(Files.readString(key)).isEqualTo(issued.privateKey());
	}

	@Test
	void aFreshVolumeWithoutADeliveredKeyStopsWithTheReason() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		Files.writeString(this.sandbox.resolve("tls-delivery.pem"), ca.certificatePem());
		start(render(TlsMode.REQUIRED));
		assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.process.exitValue()).isEqualTo(1);
		assertThat(Files.readString(this.sandbox.resolve("stderr")))
			.contains("no key on the volume and none delivered");
	}

	@Test
	void optionalAddsATlsPortDefinitionBesideThePlainOneAndServesBothOnOneRedis() throws Exception {
		JsonNode app = render(TlsMode.OPTIONAL, 31002);
		assertThat(app.path("portDefinitions")).hasSize(2);
		assertThat(app.path("portDefinitions").get(0).path("name").asText()).isEqualTo("redis");
		assertThat(app.path("portDefinitions").get(1).path("port").asInt()).isEqualTo(31002);
		assertThat(app.path("portDefinitions").get(1).path("name").asText()).isEqualTo("redis-tls");
		assertThat(app.path("labels").path(RedisAppDefinitions.SETTINGS_LABEL).asText()).endsWith(";tls=optional");
		assertThat(app.path("fetch")).hasSize(1);
		assertThat(render(TlsMode.REQUIRED).path("portDefinitions")).hasSize(1);

		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		IssuedCertificate issued = ca.certificates().issue(List.of("redis-tls-1.service.consul"), List.of("127.0.0.1"));
		Files.writeString(this.sandbox.resolve("tls-delivery.pem"),
				issued.privateKey() + issued.certificate() + issued.caCertificate());
		int port = start(app);
		int tlsPort = this.tlsPort;
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> pingOverTls(ca, tlsPort));
		assertThat(plainPing(port)).isEqualTo("PONG");
		assertThatThrownBy(() -> pingOverTls(ca, port)).as("the plain port speaks no TLS")
			.isInstanceOf(Exception.class);
	}

	private static JsonNode render(TlsMode tls) {
		return render(tls, 0);
	}

	private static JsonNode render(TlsMode tls, int tlsPort) {
		RedisAppDefinitions definitions = new RedisAppDefinitions(TestAppDefinitions.properties(), new ObjectMapper(),
				(instanceId) -> FETCH_URI);
		return definitions.render(RedisDeployment.builder("tls-1", "service", "plan")
			.resources(128, 0.1, "64mb", 1)
			.admin(InstanceRecord.ADMIN_USER, Passwords.redisHash(PASSWORD))
			.port(0)
			.tlsPort(tlsPort)
			.settings(new RedisSettings("noeviction", "", "everysec", 0, tls))
			.build());
	}

	// as a Mesos executor runs it: sh -c <cmd>, in the sandbox, with the app's env
	private int start(JsonNode app) throws IOException {
		Files.createDirectories(this.sandbox.resolve("data"));
		int port = FreePorts.next();
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", app.path("cmd").asText() + " --bind 127.0.0.1")
			.directory(this.sandbox.toFile())
			.redirectOutput(this.sandbox.resolve("stdout").toFile())
			.redirectError(this.sandbox.resolve("stderr").toFile());
		Map<String, String> env = builder.environment();
		env.put("PORT0", Integer.toString(port));
		this.tlsPort = FreePorts.next();
		env.put("PORT1", Integer.toString(this.tlsPort));
		env.put("MESOS_SANDBOX", this.sandbox.toString());
		app.path("env").properties().forEach((variable) -> env.put(variable.getKey(), variable.getValue().asText()));
		this.process = builder.start();
		return port;
	}

	private static boolean pingOverTls(TestCa ca, int port) throws Exception {
		SSLParameters parameters = new SSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		try (Jedis jedis = new Jedis(new HostAndPort(InetAddress.getLoopbackAddress().getHostAddress(), port),
				DefaultJedisClientConfig.builder()
					.ssl(true)
					.sslSocketFactory(ca.certificates().trustingTheCa())
					.sslParameters(parameters)
					.user(InstanceRecord.ADMIN_USER)
					.password(PASSWORD)
					.timeoutMillis(2000)
					.build())) {
			return "PONG".equals(jedis.ping());
		}
	}

	private static String plainPing(int port) {
		try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
				DefaultJedisClientConfig.builder()
					.user(InstanceRecord.ADMIN_USER)
					.password(PASSWORD)
					.timeoutMillis(2000)
					.build())) {
			return jedis.ping();
		}
	}

}
