package io.github.redisonmesos.broker.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.support.HaNodes;
import io.github.redisonmesos.broker.support.HaNodes.Node;
import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import redis.clients.jedis.Jedis;

import static io.github.redisonmesos.broker.support.HaNodes.MASTER_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that comes back on other ports (Marathon's dynamic ports; a lost agent moves the
 * host too) stays listed by every Sentinel at its old address, down, until the broker's
 * convergence resets the Sentinels one at a time; three nodes from the HA node template
 * ({@link HaNodes}) on real redis-server processes.
 * <p>
 * Its tests mostly wait on Sentinel timers: they run beside each other and the module's
 * other tests, each on nodes of its own (ports from {@code FreePorts}, never handed out
 * twice).
 */
@Execution(ExecutionMode.CONCURRENT)
class RedisHaGoneAddressesTests {

	private static final int DOWN_AFTER_MS = 1000;

	private static final Duration FAILOVER_BOUND = Duration.ofMillis(DOWN_AFTER_MS + 2L * HaNodes.FAILOVER_TIMEOUT_MS)
		.plusSeconds(10);

	private static final Duration CLEAR_BOUND = Duration.ofSeconds(45);

	@TempDir
	Path sandboxes;

	private HaNodes cluster;

	@AfterEach
	void stopNodes() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void aReplicaBackOnOtherPortsIsForgottenAtItsOldAddressWithAQuorumThroughoutAndAFailoverStillWorks()
			throws Exception {
		this.cluster = new HaNodes(this.sandboxes);
		Node first = this.cluster.startThree(DOWN_AFTER_MS);
		Node second = this.cluster.nodes().get(1);
		Node leaving = this.cluster.nodes().get(2);
		RedisEndpoint old = endpoint(leaving.port());
		RedisHa ha = this.cluster.ha();

		// Marathon starts the stopped task again on new dynamic ports, on its volume
		leaving.process().destroy();
		this.cluster.awaitUntil("node-2's task ends", () -> !leaving.process().isAlive());
		List<Integer> ports = new ArrayList<>(List.of(first.port(), first.sentinelPort(), second.port(),
				second.sentinelPort(), FreePorts.next(), FreePorts.next()));
		Node moved = this.cluster.add(2, leaving.sandbox(), ports, DOWN_AFTER_MS);
		moved.start();
		List<Node> live = List.of(first, second, moved);
		HaAccess access = this.cluster.access(live);
		this.cluster.awaitUntil("the instance whole again with node-2 at its new ports", () -> {
			ha.handOver(access);
			return ha.state(access).whole();
		});
		// a Sentinel that learned it keeps it (node-2's own does, from its file)
		this.cluster.awaitUntil("a Sentinel lists node-2's old address, down",
				() -> live.stream().anyMatch((node) -> listsDown(node, old)));

		// a failover may need any two Sentinels meanwhile: never fewer than two with a
		// quorum
		AtomicBoolean resetting = new AtomicBoolean(true);
		CompletableFuture<Integer> fewestWithQuorum = CompletableFuture.supplyAsync(() -> {
			int fewest = live.size();
			while (resetting.get()) {
				fewest = Math.min(fewest, (int) live.stream().filter(RedisHaGoneAddressesTests::hasQuorum).count());
				LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			}
			return fewest;
		});
		// as every check of the broker's convergence does: a Sentinel is reset only once
		// the others list every live node (a Sentinel learns a replica from the
		// primary's INFO, every 10 s)
		List<RedisEndpoint> cleared = new ArrayList<>();
		try {
			this.cluster.awaitUntil("the Sentinels forget node-2's old address", CLEAR_BOUND, () -> {
				cleared.addAll(ha.clearGoneAddresses(access));
				return live.stream().noneMatch((node) -> lists(node, old));
			});
		}
		finally {
			resetting.set(false);
		}
		assertThat(cleared).contains(old).doesNotContainAnyElementsOf(liveAddresses(live));
		assertThat(fewestWithQuorum.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2);

		for (Node node : live) {
			try (Jedis sentinel = node.sentinelAdmin()) {
				assertThat(addresses(sentinel.sentinelReplicas(MASTER_NAME)))
					.as("node-%d's Sentinel's replicas", node.index())
					.containsExactlyInAnyOrder(endpoint(second.port()), endpoint(moved.port()));
				assertThat(addresses(sentinel.sentinelSentinels(MASTER_NAME)))
					.as("node-%d's Sentinel's Sentinels", node.index())
					.containsExactlyInAnyOrderElementsOf(live.stream()
						.filter((other) -> other != node)
						.map((other) -> endpoint(other.sentinelPort()))
						.toList());
			}
			assertThat(node.ckquorum()).startsWith("OK 3 usable Sentinels");
		}
		assertThat(ha.state(access).whole()).isTrue();
		assertThat(ha.clearGoneAddresses(access)).as("nothing gone the second time").isEmpty();

		// the Sentinels still fail over, to a live replica
		first.killRedis();
		this.cluster.awaitUntil("the Sentinels promote node-1 or node-2", FAILOVER_BOUND, () -> {
			Node promoted = this.cluster.primaryNamedBy(second);
			return (promoted == second || promoted == moved) && "master".equals(promoted.role());
		});
	}

	@Test
	void anEntryIsGoneWhenItIsAtNoNodesAddressAndDownOrAnotherAddressOfALiveNode() {
		List<RedisEndpoint> nodes = List.of(endpoint(31000), endpoint(31002));
		List<Map<String, String>> listed = List.of(entry(31000, "slave", "a"), entry(31002, "s_down,slave", "b"),
				entry(31004, "slave", "c"), entry(31006, "s_down,slave,disconnected", "d"),
				entry(31008, "sentinel,s_down", ""), entry(31010, "slave", "a"));

		assertThat(SentinelReset.gone(listed, nodes)).containsExactly(endpoint(31006), endpoint(31008),
				endpoint(31010));
	}

	private static Map<String, String> entry(int port, String flags, String runId) {
		return Map.of("ip", "127.0.0.1", "port", Integer.toString(port), "flags", flags, "runid", runId);
	}

	private static boolean lists(Node node, RedisEndpoint address) {
		try (Jedis sentinel = node.sentinelAdmin()) {
			return addresses(sentinel.sentinelReplicas(MASTER_NAME)).contains(address);
		}
	}

	private static boolean listsDown(Node node, RedisEndpoint address) {
		try (Jedis sentinel = node.sentinelAdmin()) {
			return sentinel.sentinelReplicas(MASTER_NAME)
				.stream()
				.anyMatch((entry) -> endpoint(entry).equals(address) && entry.get("flags").contains("s_down"));
		}
	}

	private static boolean hasQuorum(Node node) {
		try {
			return node.ckquorum().startsWith("OK");
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static Set<RedisEndpoint> liveAddresses(List<Node> nodes) {
		return nodes.stream()
			.flatMap((node) -> List.of(endpoint(node.port()), endpoint(node.sentinelPort())).stream())
			.collect(Collectors.toSet());
	}

	private static List<RedisEndpoint> addresses(List<Map<String, String>> listed) {
		return listed.stream().map(RedisHaGoneAddressesTests::endpoint).toList();
	}

	private static RedisEndpoint endpoint(Map<String, String> entry) {
		return new RedisEndpoint(entry.get("ip"), Integer.parseInt(entry.get("port")));
	}

	private static RedisEndpoint endpoint(int port) {
		return new RedisEndpoint("127.0.0.1", port);
	}

}
