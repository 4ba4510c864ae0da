package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.support.HaNodes;
import io.github.redisonmesos.broker.support.HaNodes.Node;
import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import static io.github.redisonmesos.broker.support.HaNodes.createUserEverywhere;
import static io.github.redisonmesos.broker.support.HaNodes.deleteUserEverywhere;
import static io.github.redisonmesos.broker.support.HaNodes.inSync;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the HA node template's {@code cmd} three times, one per node, the way a Mesos
 * executor would, against Debian's real redis-server, on 127.0.0.1 only
 * ({@link HaNodes}). The test plays the broker through its adapter, as docs/HA-NODE.md
 * describes.
 * <p>
 * Its tests mostly wait on Sentinel timers: they run beside each other and the module's
 * other tests, each on nodes of its own (ports from {@code FreePorts}, never handed out
 * twice).
 */
@Execution(ExecutionMode.CONCURRENT)
class RedisHaNodeCommandTests {

	private static final int DOWN_AFTER_MS = 1000;

	private static final Duration FAILOVER_BOUND = HaNodes.failoverBound(DOWN_AFTER_MS);

	@TempDir
	Path sandboxes;

	private HaNodes cluster;

	private List<Node> nodes;

	private RedisHa ha;

	private String appPassword;

	@BeforeEach
	void setUp() {
		this.cluster = new HaNodes(this.sandboxes);
		this.nodes = this.cluster.nodes();
		this.ha = this.cluster.ha();
		this.appPassword = this.cluster.appPassword();
	}

	@AfterEach
	void stopNodes() {
		this.cluster.close();
	}

	@Test
	void aKilledPrimaryIsReplacedByAReplicaAndComesBackAsAReplicaWithTheUsersItMissed() throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		createUserEverywhere(this.nodes, "unbound", this.cluster.generatePassword());
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);

		long sentinelPid = first.sentinelPid();
		long killedAt = System.nanoTime();
		first.killRedis();
		AtomicLong acceptedAt = new AtomicLong();
		List<Node> survivors = this.nodes.subList(1, 3);
		awaitUntil("a promoted replica accepts an acknowledged write", FAILOVER_BOUND, () -> {
			Node primary = this.cluster.primaryNamedBy(survivors.get(0));
			if (primary == null || primary == first || !writeAcknowledged(primary, "after-kill")) {
				return false;
			}
			acceptedAt.set(System.nanoTime());
			acknowledged.add("after-kill");
			return true;
		});
		long failoverMs = TimeUnit.NANOSECONDS.toMillis(acceptedAt.get() - killedAt);
		System.out.println("kill -9 of the primary to the first acknowledged write: " + failoverMs + " ms");
		assertThat(Duration.ofMillis(failoverMs)).isLessThan(FAILOVER_BOUND);
		awaitUntil("node-0's task ends when its redis-server dies", () -> !first.process().isAlive());
		assertThat(first.process().exitValue()).isNotZero();
		assertThat(ProcessHandle.of(sentinelPid).filter(ProcessHandle::isAlive)).isEmpty();

		Node promoted = this.cluster.primaryNamedBy(survivors.get(0));
		HaState whileDown = this.ha.state(this.cluster.access(this.nodes));
		assertThat(whileDown.primary()).contains(new RedisEndpoint("127.0.0.1", promoted.port()));
		assertThat(whileDown.whole()).isFalse();
		assertThat(whileDown.missing()).contains("1 of 2 replicas in sync", "2 of 3 Sentinels with a quorum");
		acknowledged.addAll(writeAcknowledged(promoted, "during-", 20));
		createUserEverywhere(survivors, "late", this.appPassword);
		deleteUserEverywhere(survivors, "unbound");

		first.start();
		awaitUntil("node-0 comes back as a replica of the promoted node", () -> "slave".equals(first.role())
				&& first.primaryPort() == promoted.port() && first.info().contains("master_link_status:up"));
		awaitUntil("node-0's Sentinel follows the promoted node", () -> this.cluster.primaryNamedBy(first) == promoted
				&& first.ckquorum().startsWith("OK 3 usable Sentinels"));
		awaitUntil("the promoted node has two replicas in sync", () -> inSync(promoted, 2));
		awaitUntil("the broker sees the instance whole again",
				() -> this.ha.state(this.cluster.access(this.nodes)).whole());
		assertEveryNodeHas(acknowledged);
		try (Jedis admin = first.admin()) {
			assertThat(admin.aclGetUser("late")).as("a user created while node-0 was down").isNotNull();
			assertThat(admin.aclGetUser("unbound")).as("a user deleted while node-0 was down").isNull();
			assertThat(admin.configGet("replica-priority")).containsEntry("replica-priority", "100");
		}
		try (Jedis late = first.connect(first.port(), "late", this.appPassword)) {
			assertThat(late.ping()).isEqualTo("PONG");
		}

		List<String> secrets = this.cluster.secrets();
		for (Node node : this.nodes) {
			assertThat(node.app().toString()).doesNotContain(secrets);
		}
		assertThat(commandLines()).noneMatch((line) -> secrets.stream().anyMatch(line::contains));
		// the internal passwords live in these files, on the node's own volume only
		for (Node node : this.nodes) {
			for (String file : List.of("redis.conf", "sentinel.conf", "users.acl")) {
				assertThat(Files.getPosixFilePermissions(node.volume().resolve(file))).as(file)
					.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
			}
		}
	}

	@Test
	void aPrimaryRestartedBeforeTheFailoverWaitsForItAndJoinsThePromotedReplica() throws Exception {
		// down-after longer than the task takes to end and start again
		Node first = this.cluster.startThree(3000);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		first.killRedis();
		awaitUntil("node-0's task ends", () -> !first.process().isAlive());
		first.start();
		awaitUntil("node-0 comes back as a replica", Duration.ofSeconds(30),
				() -> "slave".equals(first.role()) && first.info().contains("master_link_status:up"));
		assertThat(first.sandbox().resolve("stdout")).content()
			.contains("the Sentinels still name this node the primary");
		Node promoted = this.cluster.primaryNamedBy(this.nodes.get(1));
		assertThat(promoted).isNotSameAs(first);
		assertThat(first.primaryPort()).isEqualTo(promoted.port());
		awaitUntil("the promoted node has two replicas in sync", () -> inSync(promoted, 2));
		awaitUntil("the broker sees the instance whole again",
				() -> this.ha.state(this.cluster.access(this.nodes)).whole());
		assertEveryNodeHas(acknowledged);
	}

	/**
	 * A primary lost with a second node's Sentinel (two agents lost): its task took its
	 * own Sentinel with it, and the one Sentinel left has no quorum to fail over. Back,
	 * the task runs its Sentinel while its Redis waits (rule 2), so the failover happens
	 * then and the old primary joins the promoted replica. Before, it came back as the
	 * primary after its wait, its returning Sentinel made the quorum for the failover
	 * attempt still running, and a replica that had joined it in between acknowledged
	 * writes the promoted node never got (HaAgentLossLeaderLocalPlatformTests, once).
	 */
	@Test
	void aPrimaryLostWithTheQuorumRunsItsSentinelFirstAndJoinsThePromotedReplica() throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		Node third = this.nodes.get(2);
		third.process().destroy();
		awaitUntil("node-2's task stops", () -> !third.process().isAlive());
		first.killRedis();
		awaitUntil("node-0's task ends, its Sentinel with it", () -> !first.process().isAlive());
		first.start();
		Node survivor = this.nodes.get(1);
		awaitUntil("node-0 comes back as a replica of node-1", Duration.ofSeconds(40),
				() -> "slave".equals(first.role()) && first.primaryPort() == survivor.port()
						&& first.info().contains("master_link_status:up"));
		awaitUntil("both Sentinels name node-1", () -> this.cluster.primaryNamedBy(survivor) == survivor
				&& this.cluster.primaryNamedBy(first) == survivor);
		assertThat(first.sandbox().resolve("stdout")).content()
			.contains("its Sentinel runs while it waits, for the quorum of a failover");
		third.start();
		awaitUntil("node-1 has two replicas in sync", Duration.ofSeconds(30), () -> inSync(survivor, 2));
		assertEveryNodeHas(acknowledged);
	}

	@Test
	void aSwitchOverPromotesAReplicaWithEveryAcknowledgedWriteAndTheOldPrimaryFollowsItWithoutARestart()
			throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		// a Sentinel that has no fresh INFO of a replica yet answers NOGOODSLAVE: the
		// broker
		// asks again on its next poll, and so does this test
		awaitUntil("the Sentinel of node-0 takes the switch-over", Duration.ofSeconds(30), () -> {
			try {
				this.ha.switchOver(this.cluster.access(this.nodes), Duration.ofSeconds(3));
				return true;
			}
			catch (RedisUnavailableException ex) {
				return false;
			}
		});
		// no down-after: the Sentinels promote at once
		awaitUntil("the Sentinels name another node", FAILOVER_BOUND,
				() -> this.cluster.primaryNamedBy(this.nodes.get(1)) != first);
		awaitUntil("the old primary follows the new one", Duration.ofSeconds(30), () -> "slave".equals(first.role()));
		awaitUntil("the broker sees the instance whole again", Duration.ofSeconds(30),
				() -> this.ha.state(this.cluster.access(this.nodes)).whole());
		assertThat(first.process().isAlive()).as("the old primary's task still runs").isTrue();
		assertEveryNodeHas(acknowledged);
	}

	/**
	 * A replica a failover left behind: it follows a primary the Sentinels no longer name
	 * (a node that joined that primary by rule 1 while it was still named, and was down
	 * or not yet known when the failover's leader reconfigured the replicas). While it
	 * follows, that primary acknowledges writes ({@code WAIT 1}) the new primary never
	 * gets: seen under load after a false failover of a just-promoted primary, then lost
	 * when the old one was turned into a replica. Sentinel corrects such a replica only
	 * after an INFO period (10 s) and its failover-timeout; the node's own check follows
	 * the Sentinels' newest primary within a few seconds (10 s and 13 s without it).
	 */
	@Test
	void aReplicaLeftFollowingAPrimaryTheSentinelsNoLongerNameFollowsTheNamedOneWithinSeconds() throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		// a false failover, as a starved machine makes them: node-0's Redis stalls longer
		// than down-after, and the Sentinels promote a replica
		long stalled = first.redisPid();
		signal(stalled, "STOP");
		try {
			awaitUntil("the Sentinels promote a replica", FAILOVER_BOUND, () -> {
				Node named = this.cluster.primaryNamedBy(this.nodes.get(1));
				return named != null && named != first;
			});
		}
		finally {
			signal(stalled, "CONT");
		}
		Node promoted = this.cluster.primaryNamedBy(this.nodes.get(1));
		Node left = this.nodes.stream().filter((node) -> node != first && node != promoted).findFirst().orElseThrow();
		awaitUntil("the other replica follows the promoted node",
				() -> left.primaryPort() == promoted.port() && left.info().contains("master_link_status:up"));
		// for up to a second after a diskless sync the promoted node does not count its
		// replica yet and refuses writes (NOREPLICAS, min-replicas-to-write 1), as an app
		// sees it: retried, as an app does (writing at once failed 3 times in 6 under
		// load)
		awaitUntil("the promoted node acknowledges a write", () -> writeAcknowledged(promoted, "promoted-first"));
		acknowledged.add("promoted-first");
		acknowledged.addAll(writeAcknowledged(promoted, "promoted-", 5));
		// as the cmd's start writes it (rule 1), or Sentinel's REPLICAOF with CONFIG
		// REWRITE
		try (Jedis admin = left.admin()) {
			admin.replicaof("127.0.0.1", first.port());
			admin.configRewrite();
		}
		long leftAt = System.nanoTime();
		awaitUntil("the replica follows the primary the Sentinels name again", Duration.ofSeconds(7),
				() -> left.primaryPort() == promoted.port());
		System.out.println("a replica following a primary the Sentinels no longer name follows the named one after "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leftAt) + " ms");
		assertThat(writeAcknowledged(first, "stale")).as("a write to the primary the Sentinels no longer name")
			.isFalse();
		// the shell logs it once CONFIG REWRITE has answered, a moment after the move the
		// wait above saw (a scripts/test run read the file in between)
		String following = "following 127.0.0.1:" + promoted.port()
				+ ", the primary of the Sentinels' newest configuration";
		awaitUntil("the replica logs whom it follows now", Duration.ofSeconds(10),
				() -> Files.readString(left.sandbox().resolve("stdout")).contains(following));
		assertThat(left.sandbox().resolve("stdout")).content()
			.doesNotContain(this.cluster.secrets().toArray(String[]::new));
		awaitUntil("the old primary follows the promoted one too", Duration.ofSeconds(30),
				() -> "slave".equals(first.role()) && first.primaryPort() == promoted.port());
		awaitUntil("the promoted node has two replicas in sync", () -> inSync(promoted, 2));
		assertEveryNodeHas(acknowledged);
	}

	private static void signal(long pid, String signal) throws Exception {
		assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
	}

	@Test
	void threeNodesStoppedTogetherComeBackWithTheLastPrimaryAndTheirData() throws Exception {
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		List<String> acknowledged = writeAcknowledged(first, "before-", 20);
		for (Node node : this.nodes) {
			node.process().destroy();
		}
		for (Node node : this.nodes) {
			awaitUntil("node-" + node.index() + " stops", () -> !node.process().isAlive());
		}
		// no Sentinel runs: each node's own Sentinel file is all there is to go by
		for (int n = 2; n >= 0; n--) {
			this.nodes.get(n).start();
		}
		awaitUntil("node-0 is the primary again, with two replicas in sync", Duration.ofSeconds(30),
				() -> inSync(first, 2));
		assertEveryNodeHas(acknowledged);
		// every node runs the instance's settings, after a restart as at the first start
		for (Node node : this.nodes) {
			try (Jedis admin = node.admin()) {
				Map<String, String> config = admin.configGet("*");
				assertThat(config).containsEntry("maxmemory-policy", "volatile-lru")
					.containsEntry("appendfsync", "always")
					.containsEntry("timeout", "3600");
				assertThat(config.get("notify-keyspace-events").chars().sorted().toArray())
					.isEqualTo("Egx".chars().sorted().toArray());
			}
		}
	}

	@Test
	void aTaskEndsNonZeroWhenItsSentinelDiesAndStopsBothProcessesOnSigterm() throws Exception {
		List<Integer> ports = Stream.generate(FreePorts::next).limit(6).toList();
		Node lonely = this.cluster.add(0, this.sandboxes.resolve("a"), ports, DOWN_AFTER_MS);
		lonely.start();
		awaitUntil("a lone node-0 bootstraps", () -> "master".equals(lonely.role()) && lonely.sentinelPid() > 0);
		long redisPid = lonely.redisPid();
		assertThat(ProcessHandle.of(lonely.sentinelPid()).orElseThrow().destroyForcibly()).isTrue();
		awaitUntil("the task ends when its Sentinel dies", () -> !lonely.process().isAlive());
		assertThat(lonely.process().exitValue()).isNotZero();
		assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isEmpty();

		Node stopped = this.cluster.add(0, this.sandboxes.resolve("b"), ports, DOWN_AFTER_MS);
		stopped.start();
		awaitUntil("a second node-0 bootstraps", () -> "master".equals(stopped.role()));
		awaitUntil("its Sentinel answers", () -> stopped.sentinelPid() > 0);
		List<ProcessHandle> processes = Stream.of(stopped.redisPid(), stopped.sentinelPid())
			.map((pid) -> ProcessHandle.of(pid).orElseThrow())
			.toList();
		stopped.process().destroy();
		awaitUntil("SIGTERM stops the task", () -> !stopped.process().isAlive());
		assertThat(processes).noneMatch(ProcessHandle::isAlive);
		assertThat(stopped.process().exitValue()).isEqualTo(143);
	}

	private List<String> writeAcknowledged(Node primary, String prefix, int count) {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			assertThat(writeAcknowledged(primary, prefix + i)).as("write %s%d acknowledged", prefix, i).isTrue();
			keys.add(prefix + i);
		}
		return keys;
	}

	private void assertEveryNodeHas(List<String> keys) {
		for (Node node : this.nodes) {
			try (Jedis app = node.connect(node.port(), "app", this.appPassword)) {
				assertThat(app.mget(keys.toArray(String[]::new))).as("acknowledged keys on node-" + node.index())
					.containsOnly("v");
			}
		}
	}

	/**
	 * A write that at least one replica acknowledged ({@code WAIT 1}) within 3 s: a
	 * scripts/test run at load 26 saw a replica with its link up miss 1 s (which was also
	 * the connection's read timeout, so that an answer at the WAIT's end came too late).
	 */
	private boolean writeAcknowledged(Node primary, String key) {
		try (Jedis app = primary.connect(primary.port(), "app", this.appPassword)) {
			app.set(key, "v");
			app.getConnection().setSoTimeout(5000);
			return app.waitReplicas(1, 3000) >= 1;
		}
		catch (JedisException ex) {
			// refused (NOREPLICAS, READONLY) or gone: not acknowledged
			return false;
		}
	}

	// every process's command line (RedisHaNodeTlsCommandTests too)
	static List<String> commandLines() throws IOException {
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			return processes.map((dir) -> dir.resolve("cmdline")).filter(Files::isReadable).map((cmdline) -> {
				try {
					return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					// the process ended while the list was read
					return "";
				}
			}).toList();
		}
	}

	private void awaitUntil(String what, Callable<Boolean> condition) {
		this.cluster.awaitUntil(what, condition);
	}

	private void awaitUntil(String what, Duration bound, Callable<Boolean> condition) {
		this.cluster.awaitUntil(what, bound, condition);
	}

}
