package io.github.redisonmesos.counter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;

/**
 * An {@code ha} instance around the counter app in a test, as the broker's {@code ha}
 * plan runs it but without Marathon: three real {@code redis-server}s (a primary, two
 * replicas; {@code min-replicas-to-write 1}, the {@code default} user off, the binding's
 * ACL user on each) and a real Sentinel beside each (quorum 2, down-after 1 s,
 * failover-timeout 3 s; the binding's user on the Sentinels with the broker's rules from
 * docs/HA-NODE.md), and a WireMock Consul listing the three Sentinels under
 * {@value #SENTINEL_SERVICE}. Registered as a static {@code @RegisterExtension} field,
 * like {@link Backends}.
 */
public final class SentinelBackends implements BeforeAllCallback, AfterAllCallback {

	public static final String MASTER_NAME = "osb-9b2d4c6e-1f3a-4b5c-8d7e-0a1b2c3d4e5f";

	public static final String SENTINEL_SERVICE = "sntnl-9b2d4c6e-1f3a-4b5c-8d7e-0a1b2c3d4e5f";

	public static final String REDIS_SERVICE = "redis-9b2d4c6e-1f3a-4b5c-8d7e-0a1b2c3d4e5f";

	public static final String USER = "b-4e6a8c0d-2f1b-4a3c-9e5d-7b8a6c4d2e0f";

	public static final String PASSWORD = "vB7nQ2wE9rT4yU1iO6pA3sD8fG5hJ0kL";

	private static final String ADMIN = "test-admin";

	private static final String ADMIN_PASSWORD = "test-admin-pa55";

	// what the broker gives a binding's user on the Sentinels (docs/HA-NODE.md)
	private static final String SENTINEL_CLIENT_RULES = "resetchannels &+switch-master &switch-master &[-+]sdown "
			+ "&[-+]odown &+slave &+sentinel &+slave-reconf-done -@all +ping +client|setname "
			+ "+sentinel|get-master-addr-by-name +sentinel|masters +sentinel|master +sentinel|replicas "
			+ "+sentinel|slaves +sentinel|sentinels +subscribe +unsubscribe +psubscribe +punsubscribe";

	// a Sentinel learns the replicas from the primary's INFO, every 10 s: a few periods,
	// with room for a machine that runs the other modules' tests and the benches
	// alongside
	private static final Duration READY_BOUND = Duration.ofSeconds(60);

	private final WireMockServer consul = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());

	private final ConsulStubs stubs = new ConsulStubs(this.consul);

	private final AtomicLong consulIndex = new AtomicLong(10);

	private final List<RedisServerProcess> nodes = new ArrayList<>();

	private final List<RedisServerProcess> sentinels = new ArrayList<>();

	private Path dir;

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		this.dir = Files.createTempDirectory("redis-ha-");
		this.consul.start();
		int primaryPort = FreePorts.next();
		for (int n = 0; n < 3; n++) {
			this.nodes.add(startNode(n, (n == 0) ? primaryPort : FreePorts.next(), (n == 0) ? 0 : primaryPort));
		}
		for (int n = 0; n < 3; n++) {
			this.sentinels.add(startSentinel(n, FreePorts.next(), primaryPort));
		}
		await("the Sentinels see each other and both replicas").atMost(READY_BOUND)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> this.sentinels.stream().allMatch(SentinelBackends::sentinelSeesAll));
		announceSentinels();
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		try {
			Stream.concat(this.sentinels.stream(), this.nodes.stream()).forEach(RedisServerProcess::close);
			this.consul.stop();
		}
		finally {
			deleteDir();
		}
	}

	private RedisServerProcess startNode(int n, int port, int primaryPort) throws IOException {
		Path nodeDir = Files.createDirectories(this.dir.resolve("node-" + n));
		List<String> arguments = new ArrayList<>(List.of("--dir", nodeDir.toString(), "--appendonly", "yes", "--save",
				"", "--daemonize", "no", "--repl-diskless-sync-delay", "0", "--min-replicas-to-write", "1",
				"--min-replicas-max-lag", "10", "--masteruser", ADMIN, "--masterauth", ADMIN_PASSWORD));
		arguments.addAll(List.of("--user", ADMIN, "on", ">" + ADMIN_PASSWORD, "~*", "&*", "+@all"));
		arguments.addAll(List.of("--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all", "-@admin", "-@dangerous"));
		// off with the permissions: see RedisAuth
		arguments.addAll(List.of("--user", "default", "off", "resetpass", "~*", "&*", "+@all"));
		if (primaryPort != 0) {
			arguments.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primaryPort)));
		}
		return RedisServerProcess.redisServer(port, arguments)
			.log(nodeDir.resolve("redis.log"))
			.user(ADMIN, ADMIN_PASSWORD)
			.start();
	}

	private RedisServerProcess startSentinel(int n, int port, int primaryPort) throws IOException {
		Path sentinelDir = Files.createDirectories(this.dir.resolve("sentinel-" + n));
		Path config = sentinelDir.resolve("sentinel.conf");
		// the default user stays open here (the Sentinels talk to each other as it); the
		// app connects as the binding's user, with only what a Sentinel client needs
		Files.writeString(config, """
				port %d
				bind 127.0.0.1
				daemonize no
				dir %s
				sentinel monitor %s 127.0.0.1 %d 2
				sentinel down-after-milliseconds %s 1000
				sentinel failover-timeout %s 3000
				sentinel auth-user %s %s
				sentinel auth-pass %s %s
				user %s on >%s %s
				""".formatted(port, sentinelDir, MASTER_NAME, primaryPort, MASTER_NAME, MASTER_NAME, MASTER_NAME, ADMIN,
				MASTER_NAME, ADMIN_PASSWORD, USER, PASSWORD, SENTINEL_CLIENT_RULES));
		return RedisServerProcess.shell(port, "exec redis-server '" + config + "' --sentinel")
			.log(sentinelDir.resolve("sentinel.log"))
			.start();
	}

	private static boolean sentinelSeesAll(RedisServerProcess sentinel) {
		try (Jedis jedis = sentinel.admin()) {
			Map<String, String> master = jedis.sentinelMaster(MASTER_NAME);
			return "2".equals(master.get("num-other-sentinels")) && "2".equals(master.get("num-slaves"));
		}
	}

	/**
	 * Makes Consul list the three Sentinels as passing under {@value #SENTINEL_SERVICE}.
	 */
	public void announceSentinels() {
		this.stubs.stubPassingInstances(SENTINEL_SERVICE,
				this.sentinels.stream().map(RedisServerProcess::port).toList(), this.consulIndex.incrementAndGet());
	}

	public void registerAppOnLoopback(DynamicPropertyRegistry registry) {
		registry.add("server.address", () -> "127.0.0.1");
	}

	/**
	 * Binds the app through a {@code VCAP_SERVICES} document as the broker binds an
	 * {@code ha} instance: the single-node keys (host and port of the primary at bind
	 * time) and {@code master_name}, {@code sentinels}, {@code sentinel_username},
	 * {@code sentinel_password}, {@code consul_sentinel_service}.
	 * @param registry the test class's dynamic properties
	 */
	public void registerBinding(DynamicPropertyRegistry registry) {
		registry.add("VCAP_SERVICES", this::vcapServices);
	}

	private String vcapServices() {
		int primary = this.nodes.get(0).port();
		StringBuilder sentinelList = new StringBuilder();
		for (RedisServerProcess sentinel : this.sentinels) {
			sentinelList.append(sentinelList.isEmpty() ? "" : ", ")
				.append("{\"host\": \"127.0.0.1\", \"port\": ")
				.append(sentinel.port())
				.append('}');
		}
		return """
				{"redis": [{"name": "counter-redis", "label": "redis", "tags": ["redis", "key-value"], "plan": "ha",
				  "credentials": {"host": "127.0.0.1", "port": %d, "username": "%s", "password": "%s",
				    "uri": "redis://%s:%s@127.0.0.1:%d", "consul_url": "http://127.0.0.1:%d",
				    "consul_datacenter": "dc1", "consul_service": "%s", "master_name": "%s",
				    "sentinels": [%s], "sentinel_username": "%s", "sentinel_password": "%s",
				    "consul_sentinel_service": "%s"}}]}
				""".formatted(primary, USER, PASSWORD, USER, PASSWORD, primary, this.consul.port(), REDIS_SERVICE,
				MASTER_NAME, sentinelList, USER, PASSWORD, SENTINEL_SERVICE);
	}

	public WireMockServer consul() {
		return this.consul;
	}

	public ConsulStubs stubs() {
		return this.stubs;
	}

	public List<RedisServerProcess> nodes() {
		return this.nodes;
	}

	public List<RedisServerProcess> sentinels() {
		return this.sentinels;
	}

	/**
	 * The node the Sentinels name as the primary now (as the first Sentinel that answers
	 * says).
	 * @return the node
	 */
	public RedisServerProcess primary() {
		for (RedisServerProcess sentinel : this.sentinels) {
			try (Jedis jedis = sentinel.admin()) {
				int port = Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
				return this.nodes.stream().filter((node) -> node.port() == port).findFirst().orElseThrow();
			}
			catch (RuntimeException ex) {
				// the next Sentinel
			}
		}
		throw new IllegalStateException("no Sentinel names a primary");
	}

	/**
	 * A connection to a Sentinel as the binding's user, for what the app sees there.
	 * @param sentinel the Sentinel
	 * @return the connection, for the caller to close
	 */
	public static Jedis asBindingUser(RedisServerProcess sentinel) {
		return new Jedis(new HostAndPort("127.0.0.1", sentinel.port()),
				DefaultJedisClientConfig.builder().user(USER).password(PASSWORD).timeoutMillis(1000).build());
	}

	/**
	 * The counter's value on a node, read as the admin.
	 * @param node the node
	 * @return the value of {@code counter}, 0 when unset
	 */
	public static long counter(RedisServerProcess node) {
		try (Jedis admin = node.admin()) {
			String value = admin.get("counter");
			return (value != null) ? Long.parseLong(value) : 0;
		}
	}

	// what @TempDir would do: deepest first, the servers have stopped by now
	private void deleteDir() throws IOException {
		if (this.dir == null) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
