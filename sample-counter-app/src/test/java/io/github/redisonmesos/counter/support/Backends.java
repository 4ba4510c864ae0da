package io.github.redisonmesos.counter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import io.github.redisonmesos.testsupport.TestCertificates;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * What the counter app needs around it in a test: a WireMock Consul and a real
 * {@code redis-server}, both on 127.0.0.1 and free ports. Registered as a static
 * {@code @RegisterExtension} field, so both run before Spring reads the class's
 * {@code @DynamicPropertySource} (which needs their ports) and stop after its last test.
 * So each class's application context is its own: Spring's context cache never reuses it
 * for another class, and {@code @DirtiesContext} closes it with the class rather than
 * leave its Consul watch polling a Consul that has stopped.
 */
public final class Backends implements BeforeAllCallback, AfterAllCallback {

	public static final String SERVICE = "redis";

	private final WireMockServer consul = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());

	private final ConsulStubs stubs = new ConsulStubs(this.consul);

	private final RedisAuth auth;

	private final ConsulSays consulSays;

	private final AtomicLong consulIndex = new AtomicLong(10);

	private final Tls tls;

	private final String bindingHost;

	private Path dataDir;

	private RedisServerProcess redis;

	private int tlsPort;

	private TestCertificates certificates;

	private Backends(RedisAuth auth, ConsulSays consulSays) {
		this(auth, consulSays, Tls.OFF, null);
	}

	private Backends(RedisAuth auth, ConsulSays consulSays, Tls tls, String bindingHost) {
		this.auth = auth;
		this.consulSays = consulSays;
		this.tls = tls;
		this.bindingHost = (bindingHost != null) ? bindingHost : "127.0.0.1";
	}

	/**
	 * Redis with the binding's ACL user and a TLS port as the broker runs it with
	 * {@code tls: optional} (a plain port, which Consul lists, and a TLS port beside it,
	 * which only the binding's {@code tls_port} names) or {@code required} (Consul lists
	 * the TLS port; the binding's {@code uri} is {@code rediss://}; the plain port stays
	 * for the test's own admin connection, unlisted). The certificate, signed by a test
	 * CA, names {@code localhost} and 127.0.0.1; the binding's {@code ca_certificate} is
	 * that CA.
	 * @param user the binding's Redis user
	 * @param password its password
	 * @param required {@code required} rather than {@code optional}
	 * @param bindingHost the binding's {@code host} (the name the certificate is checked
	 * against when it is a name)
	 * @return the backends, started once registered
	 */
	public static Backends withTls(String user, String password, boolean required, String bindingHost) {
		return new Backends(RedisAuth.aclUser(user, password), ConsulSays.REDIS_PASSES,
				required ? Tls.REQUIRED : Tls.OPTIONAL, bindingHost);
	}

	/**
	 * The TLS port, 0 without TLS.
	 * @return the port
	 */
	public int tlsPort() {
		return this.tlsPort;
	}

	/**
	 * The test CA and the server's certificate, {@code null} without TLS.
	 * @return the certificates
	 */
	public TestCertificates certificates() {
		return this.certificates;
	}

	/**
	 * Redis with one password, as an operator's own Redis or the broker before
	 * per-binding users.
	 * @param password the Redis password
	 * @return the backends, started once registered
	 */
	public static Backends withPassword(String password) {
		return new Backends(RedisAuth.password(password), ConsulSays.REDIS_PASSES);
	}

	/**
	 * Redis as the broker provisions it with per-binding users: the {@code default} user
	 * off, the binding's own ACL user.
	 * @param user the binding's Redis user
	 * @param password its password
	 * @return the backends, started once registered
	 */
	public static Backends withAclUser(String user, String password) {
		return new Backends(RedisAuth.aclUser(user, password), ConsulSays.REDIS_PASSES);
	}

	/**
	 * Redis without a password, as the demo runs it.
	 * @return the backends, started once registered
	 */
	public static Backends withoutPassword() {
		return new Backends(RedisAuth.none(), ConsulSays.REDIS_PASSES);
	}

	/**
	 * Redis without a password, and a Consul that refuses the app's ACL token from the
	 * start (403 "ACL not found"), so the app never learns where Redis runs.
	 * @return the backends, started once registered
	 */
	public static Backends withConsulRefusingTheToken() {
		return new Backends(RedisAuth.none(), ConsulSays.TOKEN_REFUSED);
	}

	/**
	 * Redis without a password, and a Consul whose ACLs hide the Redis service from the
	 * app's token from the start (200, no entry, and the filtered-by-ACLs header), so the
	 * app never learns where Redis runs.
	 * @return the backends, started once registered
	 */
	public static Backends withConsulHidingRedisByAcls() {
		return new Backends(RedisAuth.none(), ConsulSays.REDIS_HIDDEN_BY_ACLS);
	}

	/**
	 * Starts Consul (WireMock) and Redis, with Consul listing that Redis as passing (or
	 * refusing the token).
	 */
	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		// Redis keeps its AOF here, so a server restarted on it continues the same data
		this.dataDir = Files.createTempDirectory("redis-");
		this.consul.start();
		if (this.tls != Tls.OFF) {
			this.certificates = TestCertificates.generate(Files.createDirectories(this.dataDir.resolve("tls")));
			this.certificates.writeServerPem(this.dataDir.resolve("tls"));
			this.tlsPort = FreePorts.next();
		}
		startRedis(FreePorts.next());
		switch (this.consulSays) {
			case REDIS_PASSES -> announceRedis();
			case TOKEN_REFUSED -> this.stubs.stubTokenRefused(SERVICE);
			case REDIS_HIDDEN_BY_ACLS -> this.stubs.stubHiddenByAcls(SERVICE, this.consulIndex.incrementAndGet());
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		try {
			if (this.redis != null) {
				this.redis.close();
			}
			this.consul.stop();
		}
		finally {
			deleteDataDir();
		}
	}

	/**
	 * The app, like its backends, listens on 127.0.0.1 only.
	 * @param registry the test class's dynamic properties
	 */
	public void registerAppOnLoopback(DynamicPropertyRegistry registry) {
		registry.add("server.address", () -> "127.0.0.1");
	}

	/**
	 * The app on 127.0.0.1 ({@link #registerAppOnLoopback}) at the test pace
	 * ({@link #registerTestPace}).
	 * @param registry the test class's dynamic properties
	 */
	public void registerPacedAppOnLoopback(DynamicPropertyRegistry registry) {
		registerAppOnLoopback(registry);
		registerTestPace(registry);
	}

	/**
	 * The pace for tests: the watch asks Consul again after 50 ms (backing off to 200 ms
	 * while Consul is away), and a Redis command gives up after 1 s.
	 * @param registry the test class's dynamic properties
	 */
	public void registerTestPace(DynamicPropertyRegistry registry) {
		registry.add("counter.watch.min-interval", () -> "50ms");
		registry.add("counter.watch.max-backoff", () -> "200ms");
		registry.add("counter.redis.timeout", () -> "1s");
	}

	/**
	 * Binds the app to this Consul through the demo's variables rather than a
	 * {@code VCAP_SERVICES} document.
	 * @param registry the test class's dynamic properties
	 */
	public void registerConsulVariables(DynamicPropertyRegistry registry) {
		registry.add("consul.host", () -> "127.0.0.1");
		registry.add("consul.port", this.consul::port);
		registry.add("consul.dc", () -> "dc1");
	}

	/**
	 * Binds the app to this Consul through the demo's variables, with the ACL token that
	 * {@code CONSUL_TOKEN} would give.
	 * @param registry the test class's dynamic properties
	 * @param token the Consul ACL token
	 */
	public void registerConsulVariables(DynamicPropertyRegistry registry, String token) {
		registerConsulVariables(registry);
		registry.add("consul.token", () -> token);
	}

	public WireMockServer consul() {
		return this.consul;
	}

	public ConsulStubs stubs() {
		return this.stubs;
	}

	public RedisServerProcess redis() {
		return this.redis;
	}

	public String password() {
		return this.auth.appPassword();
	}

	public String user() {
		return this.auth.appUser();
	}

	/**
	 * Starts Redis on {@code port} with its AOF in this class's data directory, so it
	 * continues the data of the servers before it.
	 * @param port the port
	 * @return the new server, which {@link #redis()} answers from now on
	 */
	public RedisServerProcess startRedis(int port) {
		List<String> arguments = new ArrayList<>(List.of("--dir", this.dataDir.toString(), "--appendonly", "yes",
				"--save", "", "--daemonize", "no", "--protected-mode", "yes"));
		arguments.addAll(this.auth.serverArguments());
		if (this.tls != Tls.OFF) {
			Path dir = this.dataDir.resolve("tls");
			arguments.addAll(List.of("--tls-port", String.valueOf(this.tlsPort), "--tls-cert-file",
					dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
					"--tls-ca-cert-file", this.certificates.caCertificate().toString(), "--tls-auth-clients", "no"));
		}
		this.redis = RedisServerProcess.redisServer(port, arguments)
			.log(this.dataDir.resolve("redis-" + port + ".log"))
			.user(this.auth.adminUser(), this.auth.adminPassword())
			.start();
		return this.redis;
	}

	/**
	 * The counter's value, read from Redis itself, not through the app.
	 * @return the value of {@code counter}, 0 when unset
	 */
	public long counter() {
		try (Jedis admin = this.redis.admin()) {
			String value = admin.get("counter");
			return (value != null) ? Long.parseLong(value) : 0;
		}
	}

	/**
	 * Binds the app through a {@code VCAP_SERVICES} document as the broker's binding
	 * would: {@code username} (when Redis has users), {@code password}, {@code uri},
	 * {@code consul_*}.
	 * @param registry the test class's dynamic properties
	 * @param consulToken the {@code consul_token}, {@code null} for none
	 */
	public void registerBinding(DynamicPropertyRegistry registry, String consulToken) {
		registry.add("VCAP_SERVICES", () -> vcapServices(consulToken));
	}

	private String vcapServices(String consulToken) {
		String user = (this.auth.appUser() != null) ? this.auth.appUser() : "";
		String username = (this.auth.appUser() != null) ? "\"username\": \"" + user + "\", " : "";
		String token = (consulToken != null) ? ", \"consul_token\": \"" + consulToken + "\"" : "";
		String tlsKeys = "";
		String scheme = "redis";
		int port = this.redis.port();
		if (this.tls != Tls.OFF) {
			tlsKeys = ", \"tls_port\": " + this.tlsPort + ", \"ca_certificate\": \""
					+ this.certificates.caPem().replace("\n", "\\n") + "\"";
			if (this.tls == Tls.REQUIRED) {
				scheme = "rediss";
				port = this.tlsPort;
			}
		}
		return """
				{"redis": [{"name": "counter-redis", "label": "redis", "tags": ["redis", "key-value"], "plan": "small",
				  "credentials": {"host": "%s", "port": %d, %s"password": "%s",
				    "uri": "%s://%s:%s@%s:%d", "consul_url": "http://127.0.0.1:%d",
				    "consul_datacenter": "dc1", "consul_service": "%s"%s%s}}],
				 "p.mysql": [{"name": "orders-db", "label": "p.mysql", "tags": ["mysql"], "plan": "db-small",
				  "credentials": {"hostname": "10.0.0.9", "password": "not-ours"}}]}
				""".formatted(this.bindingHost, port, username, this.auth.appPassword(), scheme, user,
				this.auth.appPassword(), this.bindingHost, port, this.consul.port(), SERVICE, token, tlsKeys);
	}

	/**
	 * Makes Consul list the current Redis as passing, under a new index.
	 */
	public void announceRedis() {
		int port = (this.tls == Tls.REQUIRED) ? this.tlsPort : this.redis.port();
		this.stubs.stubPassingInstance(SERVICE, "127.0.0.1", port, nextIndex());
	}

	public long nextIndex() {
		return this.consulIndex.incrementAndGet();
	}

	// what @TempDir would do: deepest first, Redis has stopped writing by now
	private void deleteDataDir() throws IOException {
		if (this.dataDir == null) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.dataDir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/** Whether Redis has a TLS port, and which port Consul and the binding name. */
	private enum Tls {

		OFF, OPTIONAL, REQUIRED

	}

	/** What Consul answers about the Redis service from the start. */
	private enum ConsulSays {

		REDIS_PASSES, TOKEN_REFUSED, REDIS_HIDDEN_BY_ACLS

	}

}
