package io.github.redisonmesos.broker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.marathon.TestAppDefinitions;
import io.github.redisonmesos.broker.redis.TestRedisHa;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.IssuedCertificate;
import io.github.redisonmesos.testsupport.FreePorts;
import org.awaitility.core.ConditionTimeoutException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The nodes of one HA instance, each the HA node template's {@code cmd} run the way a
 * Mesos executor would ({@code sh -c} with {@code PORT0}, {@code PORT1}, {@code HOST},
 * {@code MESOS_SANDBOX} and the app's env), against Debian's real redis-server, on
 * 127.0.0.1 only. It plays the broker: it renders the template by plain placeholder
 * substitution and hands each node the internal passwords through the admin user, as
 * docs/HA-NODE.md describes. {@link #close()} stops every node it started.
 */
public final class HaNodes implements AutoCloseable {

	public static final String MASTER_NAME = "osb-5f0c2a9e-3d1b-4e8f-9a47-1c6b2d8e0f35";

	public static final String ADMIN = "osb-admin";

	public static final int FAILOVER_TIMEOUT_MS = 3000;

	/**
	 * How long a failover of these nodes may take: Sentinel's down-after, one election
	 * lost to a split vote (two Sentinels left; the next attempt twice the
	 * failover-timeout after the first: a scripts/test run saw
	 * {@code -failover-abort-not-elected} and missed the former bound of down-after + 2 x
	 * failover-timeout), the retry's election and promotion, as the node template's own
	 * wait (rule 2, docs/HA-NODE.md).
	 * @param downAfterMs the nodes' down-after
	 * @return the bound
	 */
	public static Duration failoverBound(int downAfterMs) {
		return Duration.ofMillis(downAfterMs + 3L * FAILOVER_TIMEOUT_MS + 1000);
	}

	private static final String INSTANCE_ID = "5f0c2a9e-3d1b-4e8f-9a47-1c6b2d8e0f35";

	private static final Duration START_BOUND = Duration.ofSeconds(20);

	private final Passwords passwords = new Passwords();

	private final String adminPassword = this.passwords.generate();

	private final String replicationPassword = this.passwords.generate();

	private final String sentinelPassword = this.passwords.generate();

	private final String appPassword = this.passwords.generate();

	private final List<Node> nodes = new ArrayList<>();

	private final RedisHa ha;

	private final Path sandboxes;

	// the broker's signer with TLS required on every node, null without TLS
	private final InstanceCertificates certificates;

	/**
	 * @param sandboxes where the nodes' sandboxes (and volumes) go
	 */
	public HaNodes(Path sandboxes) {
		this(sandboxes, null);
	}

	/**
	 * Nodes with {@code tls: required}: each node's first start finds its key and
	 * certificate (signed by this CA, naming 127.0.0.1) in its sandbox, as the Mesos
	 * fetcher leaves it; a later start finds the CA alone there.
	 * @param sandboxes where the nodes' sandboxes (and volumes) go
	 * @param certificates the broker's signer, null for nodes without TLS
	 */
	public HaNodes(Path sandboxes, InstanceCertificates certificates) {
		this.sandboxes = sandboxes;
		this.certificates = certificates;
		this.ha = (certificates != null) ? TestRedisHa.create(certificates) : TestRedisHa.create();
	}

	private boolean tls() {
		return this.certificates != null;
	}

	public List<Node> nodes() {
		return this.nodes;
	}

	public RedisHa ha() {
		return this.ha;
	}

	public List<String> secrets() {
		return List.of(this.adminPassword, this.replicationPassword, this.sentinelPassword, this.appPassword);
	}

	public String adminPassword() {
		return this.adminPassword;
	}

	/** The password of the user {@code app} that {@link #startThree(int)} creates. */
	public String appPassword() {
		return this.appPassword;
	}

	public String generatePassword() {
		return this.passwords.generate();
	}

	/**
	 * Deploy an instance as the broker would: node-0 first (it bootstraps as the
	 * primary), then the others, each seeded once it runs.
	 * @param downAfterMs the Sentinels' down-after-milliseconds
	 * @return node-0, the primary, with two replicas in sync, a Sentinel quorum and the
	 * user {@code app}
	 */
	public Node startThree(int downAfterMs) {
		List<Integer> ports = Stream.generate(FreePorts::next).limit(6).toList();
		for (int n = 0; n < 3; n++) {
			add(n, this.sandboxes.resolve("node-" + n), ports, downAfterMs);
		}
		Node first = this.nodes.get(0);
		first.start();
		awaitUntil("node-0 bootstraps as the primary", () -> "master".equals(first.role()));
		seed(first);
		this.nodes.subList(1, 3).forEach(Node::start);
		for (Node replica : this.nodes.subList(1, 3)) {
			awaitUntil("node-" + replica.index + " starts as a replica of node-0",
					() -> "slave".equals(replica.role()) && replica.primaryPort() == first.port);
			seed(replica);
		}
		awaitUntil("one primary with two replicas in sync", () -> inSync(first, 2));
		for (Node node : this.nodes) {
			awaitUntil("a Sentinel quorum at node-" + node.index,
					() -> node.ckquorum().startsWith("OK 3 usable Sentinels"));
		}
		// a Sentinel learns the replicas from the primary's INFO (every 10 s), and a
		// failover
		// it leads reconfigures only the replicas it knows: one it does not know would
		// stay
		// a replica of the old primary, a chain
		for (Node node : this.nodes) {
			awaitUntil("node-" + node.index + "'s Sentinel lists both replicas", () -> node.sentinelReplicas() == 2);
		}
		awaitUntil("the broker sees the instance whole", () -> this.ha.state(access(this.nodes)).whole());
		assertThat(this.ha.state(access(this.nodes)).primary()).contains(new RedisEndpoint("127.0.0.1", first.port));
		createUserEverywhere(this.nodes, "app", this.appPassword);
		return first;
	}

	/**
	 * A node, not started yet.
	 * @param n its index
	 * @param sandbox its sandbox
	 * @param ports the Redis and Sentinel ports of the three nodes, in node order
	 * @param downAfterMs the Sentinels' down-after-milliseconds
	 * @return the node
	 */
	public Node add(int n, Path sandbox, List<Integer> ports, int downAfterMs) {
		Node node = new Node(n, sandbox, ports.get(2 * n), ports.get(2 * n + 1), render(n, ports, downAfterMs));
		this.nodes.add(node);
		return node;
	}

	/** The template rendered for node {@code n} by the broker's renderer. */
	private JsonNode render(int n, List<Integer> ports, int downAfterMs) {
		List<HaDeployment.NodeSpec> specs = new ArrayList<>();
		List<HaNode> listed = new ArrayList<>();
		for (int node = 0; node < 3; node++) {
			specs.add(new HaDeployment.NodeSpec(ports.get(2 * node), ports.get(2 * node + 1), List.of()));
			listed.add(new HaNode(node, new RedisEndpoint("127.0.0.1", ports.get(2 * node)),
					new RedisEndpoint("127.0.0.1", ports.get(2 * node + 1))));
		}
		HaDeployment ha = new HaDeployment(MASTER_NAME, 2, Duration.ofMillis(downAfterMs),
				Duration.ofMillis(FAILOVER_TIMEOUT_MS), "osb-replication",
				Passwords.redisHash(this.replicationPassword), "osb-sentinel",
				Passwords.redisHash(this.sentinelPassword), specs, listed);
		RedisDeployment deployment = TestAppDefinitions.ha(INSTANCE_ID, Passwords.redisHash(this.adminPassword), ha);
		if (!tls()) {
			return TestAppDefinitions.renderNode(deployment, n);
		}
		RedisSettings plain = deployment.settings();
		return TestAppDefinitions.renderNodeWithTls(deployment.toBuilder()
			.settings(new RedisSettings(plain.maxmemoryPolicy(), plain.notifyKeyspaceEvents(), plain.appendfsync(),
					plain.timeout(), TlsMode.REQUIRED))
			.build(), n);
	}

	/**
	 * What the broker does once per volume, through its adapter: the internal passwords
	 * reach the node's Sentinel and Redis through the admin user, and each writes them
	 * into its own file on the volume.
	 */
	private void seed(Node node) {
		awaitUntil("node-" + node.index + "'s Sentinel answers", () -> node.sentinelPid() > 0);
		this.ha.handOver(access(List.of(node)));
	}

	public HaAccess access(List<Node> nodes) {
		return new HaAccess(
				nodes.stream()
					.map((node) -> new HaNode(node.index, new RedisEndpoint("127.0.0.1", node.port),
							new RedisEndpoint("127.0.0.1", node.sentinelPort)))
					.toList(),
				MASTER_NAME, ADMIN, this.adminPassword, "osb-replication", this.replicationPassword, "osb-sentinel",
				this.sentinelPassword, tls() ? TlsMode.REQUIRED : TlsMode.DISABLED);
	}

	/** As the broker binds: the user on every node it reaches, saved to each ACL file. */
	public static void createUserEverywhere(List<Node> nodes, String user, String password) {
		for (Node node : nodes) {
			try (Jedis admin = node.admin()) {
				admin.aclSetUser(user, "on", ">" + password, "~*", "&*", "+@all");
				admin.aclSave();
			}
		}
	}

	public static void deleteUserEverywhere(List<Node> nodes, String user) {
		for (Node node : nodes) {
			try (Jedis admin = node.admin()) {
				admin.aclDelUser(user);
				admin.aclSave();
			}
		}
	}

	public Node primaryNamedBy(Node sentinel) {
		try (Jedis jedis = sentinel.connect(sentinel.sentinelPort, ADMIN, this.adminPassword)) {
			int port = Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
			return this.nodes.stream().filter((node) -> node.port == port).findFirst().orElse(null);
		}
	}

	/**
	 * Whether exactly that many replicas hold every write the primary has taken: a write
	 * of its own (a marker key), then {@code WAIT} for them (500 ms at most). INFO's
	 * offsets compared for equality missed the moments of sync under load (a scripts/test
	 * run failed on it with both replicas synchronized): the Sentinels publish their
	 * hellos through the primary about every 0.7 s, and a replica reports its offset once
	 * a second.
	 * @param primary the node that should be the primary
	 * @param replicas how many replicas it should have, all in sync
	 * @return whether it is the primary and that many replicas acknowledged the marker
	 */
	public static boolean inSync(Node primary, int replicas) {
		try (Jedis admin = primary.admin()) {
			if (!"master".equals(admin.role().get(0))) {
				return false;
			}
			admin.incr("in-sync-check");
			return admin.waitReplicas(replicas, 500) == replicas;
		}
	}

	public void awaitUntil(String what, Callable<Boolean> condition) {
		awaitUntil(what, START_BOUND, condition);
	}

	/** Wait for a condition; on a timeout, say what the nodes logged last. */
	public void awaitUntil(String what, Duration bound, Callable<Boolean> condition) {
		try {
			await(what).atMost(bound).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(condition);
		}
		catch (ConditionTimeoutException ex) {
			StringBuilder logs = new StringBuilder(ex.getMessage());
			this.nodes
				.forEach((node) -> logs.append("\n--- node-").append(node.index).append(":\n").append(node.log()));
			throw new AssertionError(logs.toString(), ex);
		}
	}

	/** After the test: nothing of these nodes keeps running. */
	@Override
	public void close() {
		this.nodes.forEach(Node::destroy);
	}

	/** One node's task: its cmd run by sh, its sandbox, its two ports. */
	public final class Node {

		private final int index;

		private final Path sandbox;

		private final int port;

		private final int sentinelPort;

		private final JsonNode app;

		private Process process;

		Node(int index, Path sandbox, int port, int sentinelPort, JsonNode app) {
			this.index = index;
			this.sandbox = sandbox;
			this.port = port;
			this.sentinelPort = sentinelPort;
			this.app = app;
		}

		public int index() {
			return this.index;
		}

		public Path sandbox() {
			return this.sandbox;
		}

		public int port() {
			return this.port;
		}

		public int sentinelPort() {
			return this.sentinelPort;
		}

		public JsonNode app() {
			return this.app;
		}

		public Process process() {
			return this.process;
		}

		/** Start (or start again, on the same volume and ports) as Mesos would. */
		public void start() {
			try {
				Files.createDirectories(volume());
				if (tls()) {
					fetch();
				}
				ProcessBuilder builder = new ProcessBuilder("sh", "-c", this.app.path("cmd").asText())
					.directory(this.sandbox.toFile())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.sandbox.resolve("stdout").toFile()));
				Map<String, String> env = builder.environment();
				this.app.path("env")
					.properties()
					.forEach((variable) -> env.put(variable.getKey(), variable.getValue().asText()));
				env.put("PORT0", Integer.toString(this.port));
				env.put("PORT1", Integer.toString(this.sentinelPort));
				env.put("HOST", "127.0.0.1");
				env.put("MESOS_SANDBOX", this.sandbox.toString());
				// loopback only: the test must not listen on the machine's other
				// interfaces
				env.put("REDIS_BIND", "127.0.0.1");
				this.process = builder.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		public Path volume() {
			return this.sandbox
				.resolve(this.app.path("container").path("volumes").get(0).path("containerPath").asText());
		}

		// what the Mesos fetcher leaves in the sandbox: key, certificate and CA the first
		// time, the CA alone once the single-use token is spent
		private void fetch() throws IOException {
			InstanceCertificates signer = HaNodes.this.certificates;
			String delivery;
			if (Files.exists(volume().resolve("tls/redis.key"))) {
				delivery = signer.caCertificate();
			}
			else {
				IssuedCertificate issued = signer.issue(
						List.of(ServiceNames.nodeDnsName(ServiceNames.of(INSTANCE_ID), this.index, "consul"),
								ServiceNames.nodeDnsName(ServiceNames.sentinelOf(INSTANCE_ID), this.index, "consul")),
						List.of("127.0.0.1"));
				delivery = issued.privateKey() + issued.certificate() + issued.caCertificate();
			}
			Files.writeString(this.sandbox.resolve("tls-delivery.pem"), delivery);
		}

		public Jedis connect(int port, String user, String password) {
			DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
				.user(user)
				.password(password)
				.timeoutMillis(1000);
			if (tls()) {
				config.ssl(true).sslSocketFactory(HaNodes.this.certificates.trustingTheCa());
			}
			return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
		}

		public Jedis admin() {
			return connect(this.port, ADMIN, HaNodes.this.adminPassword);
		}

		public Jedis sentinelAdmin() {
			return connect(this.sentinelPort, ADMIN, HaNodes.this.adminPassword);
		}

		public String info() {
			try (Jedis admin = admin()) {
				return admin.info("replication");
			}
		}

		public String role() {
			try (Jedis admin = admin()) {
				return (String) admin.role().get(0);
			}
		}

		public long primaryPort() {
			try (Jedis admin = admin()) {
				return (Long) admin.role().get(2);
			}
		}

		public String ckquorum() {
			try (Jedis sentinel = sentinelAdmin()) {
				return new String((byte[]) sentinel.sendCommand(Protocol.Command.SENTINEL, "CKQUORUM", MASTER_NAME),
						StandardCharsets.UTF_8);
			}
		}

		/** How many replicas this node's Sentinel lists. */
		public int sentinelReplicas() {
			try (Jedis sentinel = sentinelAdmin()) {
				return sentinel.sentinelReplicas(MASTER_NAME).size();
			}
		}

		/** {@code kill -9} of this node's redis-server. */
		public void killRedis() {
			assertThat(ProcessHandle.of(redisPid()).orElseThrow().destroyForcibly()).isTrue();
		}

		public long redisPid() {
			return pid(this.port);
		}

		public long sentinelPid() {
			return pid(this.sentinelPort);
		}

		private long pid(int port) {
			try (Jedis admin = connect(port, ADMIN, HaNodes.this.adminPassword)) {
				Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(admin.info("server"));
				assertThat(pid.find()).isTrue();
				return Long.parseLong(pid.group(1));
			}
		}

		public String log() {
			try {
				List<String> lines = Files.readAllLines(this.sandbox.resolve("stdout"));
				return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

		void destroy() {
			if (this.process != null) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
			}
		}

	}

}
