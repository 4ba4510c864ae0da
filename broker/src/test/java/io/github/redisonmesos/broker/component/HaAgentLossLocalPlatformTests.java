package io.github.redisonmesos.broker.component;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ha} plan across the local platform's four Mesos agents, through the broker:
 * the three nodes on three agents, never two on one (a sampler reads Marathon's tasks
 * every 200 ms through each whole test); the loss of the primary's agent under a
 * {@code WAIT 1} writer keeps every acknowledged write, a replica takes over and the lost
 * node comes back on the fourth agent as a replica with the binding's user; with only
 * three agents running and one of them lost, the node waits in Marathon's queue, health
 * says it is missing, the instance takes writes and an update says which node waits,
 * until the agent is back.
 */
@EndToEnd
class HaAgentLossLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String HA = "c4f736b3-14cd-4e7c-8dbf-b8030e281f88";

	private static final Duration BOUND = Duration.ofSeconds(180);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext broker;

	private static BrokerApi api;

	@BeforeAll
	static void start() throws Exception {
		platform = new LocalPlatform(Files.createTempDirectory("ha-agents").resolve("state"),
				"--local-platform.agents=4");
		broker = InProcessBroker.start(platform, "--BROKER_MARATHON_REDIS_PORTS=31600-31699",
				"--broker.reconcile.ha-interval=1s", "--BROKER_VOLUMES_URL=" + platform.libStorage(""),
				"--BROKER_VOLUMES_SERVICE=local");
		api = InProcessBroker.api(broker);
	}

	@AfterAll
	static void stop() {
		if (broker != null) {
			broker.close();
		}
		if (platform != null) {
			platform.close();
		}
	}

	@Test
	void theLossOfThePrimarysAgentKeepsEveryAcknowledgedWriteAndTheNodeComesBackOnTheFourthAgent() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		try (Sampler sampler = new Sampler(instanceId)) {
			provision(instanceId);
			Map<Integer, String> provisioned = nodeHosts(instanceId);
			assertThat(Set.copyOf(provisioned.values())).as("the nodes' agents %s", provisioned).hasSize(3);
			awaitSettled(instanceId);
			Map<Integer, String> hosts = nodeHosts(instanceId);
			assertThat(Set.copyOf(hosts.values())).as("the nodes' agents %s", hosts).hasSize(3);

			JsonNode credentials = bind(instanceId);
			JedisClientConfig config = config(credentials);
			Set<HostAndPort> sentinels = sentinels(credentials);
			String masterName = credentials.path("master_name").asText();
			Writer writer = new Writer(masterName, config, sentinels);
			String lost;
			long stopped;
			long firstWrite;
			try (writer) {
				await().atMost(BOUND).until(() -> writer.acknowledged.size() >= 20);
				HostAndPort primary = primary(sentinels, credentials);
				lost = primary.getHost();
				assertThat(Set.copyOf(nodeHosts(instanceId).values())).contains(lost);
				assertThat(platform.post(platform.marathon("/local-platform/agents/" + lost + "/stop")).statusCode())
					.isEqualTo(200);
				stopped = System.nanoTime();
				writer.markStop(stopped);
				await().atMost(BOUND).until(() -> writer.firstAcknowledgedAfterStop() != 0);
				firstWrite = writer.firstAcknowledgedAfterStop();
				assertThat(primary(sentinels, credentials).getHost()).isNotEqualTo(lost);

				// the lost node back on the agent no node ran on, as a replica with the
				// binding's user
				Set<String> before = Set.copyOf(hosts.values());
				Map<Integer, String> after = await().atMost(BOUND)
					.until(() -> nodeHosts(instanceId), (now) -> now.size() == 3 && Set.copyOf(now.values()).size() == 3
							&& !now.containsValue(lost));
				Set<String> fourth = new HashSet<>(after.values());
				fourth.removeAll(before);
				assertThat(fourth).as("the agent the lost node came back on").hasSize(1);
				String back = fourth.iterator().next();
				await().atMost(BOUND).ignoreExceptions().until(() -> {
					HostAndPort returned = redisOn(instanceId, back);
					try (Jedis node = new Jedis(returned, config)) {
						return node.ping().equals("PONG") && node.info("replication").contains("role:slave");
					}
				});
				await().atMost(BOUND).until(() -> haHealth(instanceId).path("whole").asBoolean());
			}
			long whole = System.nanoTime();
			writer.assertEveryAcknowledgedWriteIsKept();
			System.out.printf(
					"agent loss of %s (the primary's, %s): first acknowledged write %d ms after the stop, whole again "
							+ "after %d ms; %d acknowledged writes, all kept%n",
					instanceId, lost, (firstWrite - stopped) / 1_000_000, (whole - stopped) / 1_000_000,
					writer.acknowledged.size());
			assertThat(sampler.shared).as("moments two nodes shared an agent").isEmpty();
			assertThat(sampler.samples).isGreaterThan(10);
		}
	}

	@Test
	void withThreeAgentsAndOneLostTheNodeWaitsTheInstanceServesAndAnUpdateSaysWhichNodeWaits() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		String spare = null;
		String lost = null;
		try (Sampler sampler = new Sampler(instanceId)) {
			provision(instanceId);
			awaitSettled(instanceId);
			Map<Integer, String> hosts = nodeHosts(instanceId);
			// three agents left: the one no node runs on stops
			List<String> agents = new ArrayList<>();
			JSON.readTree(platform.get(platform.marathon("/local-platform/agents")).body())
				.forEach((agent) -> agents.add(agent.path("host").asText()));
			spare = agents.stream().filter((host) -> !hosts.containsValue(host)).findFirst().orElseThrow();
			platform.post(platform.marathon("/local-platform/agents/" + spare + "/stop"));
			JsonNode credentials = bind(instanceId);
			HostAndPort primary = primary(sentinels(credentials), credentials);
			int replica = hosts.entrySet()
				.stream()
				.filter((node) -> !node.getValue().equals(primary.getHost()))
				.findFirst()
				.orElseThrow()
				.getKey();
			lost = hosts.get(replica);
			platform.post(platform.marathon("/local-platform/agents/" + lost + "/stop"));

			// the node waits in Marathon's queue for an agent no other node runs on
			String app = "/osb-redis/" + instanceId + "/node-" + replica;
			JsonNode queued = await().atMost(BOUND)
				.until(() -> queueEntry(app), (entry) -> entry != null && entry.path("count").asInt() == 1);
			assertThat(queued.path("processedOffersSummary").toString()).contains("UnfulfilledConstraint");
			JsonNode degraded = await().atMost(BOUND)
				.until(() -> haHealth(instanceId), (nodes) -> nodes.path("node-" + replica).asText().equals("missing"));
			assertThat(degraded.path("whole").asBoolean()).isFalse();
			// the instance takes writes a replica acknowledged
			try (JedisSentineled client = new JedisSentineled(credentials.path("master_name").asText(),
					config(credentials), sentinels(credentials), config(credentials))) {
				client.set("degraded", "v");
				assertThat(client.waitReplicas("degraded", 1, 2000)).isEqualTo(1);
			}

			// an update says which node waits, and finishes once the agent is back
			assertThat(api
				.call(HttpMethod.PATCH, instancePath(instanceId) + "?accepts_incomplete=true",
						"{\"service_id\":\"" + SERVICE_ID + "\",\"parameters\":{\"timeout\":300}}")
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(BOUND)
				.until(() -> lastOperation(instanceId, "update").path("description").asText(),
						(description) -> description.startsWith("rolling update: node-" + replica
								+ " waits for an agent no other node runs on (Marathon keeps it in its launch queue"));
			assertThat(lastOperation(instanceId, "update").path("state").asText()).isEqualTo("in progress");
			platform.post(platform.marathon("/local-platform/agents/" + lost + "/start"));
			lost = null;
			await().atMost(Duration.ofSeconds(300))
				.until(() -> lastOperation(instanceId, "update").path("state").asText(), "succeeded"::equals);
			await().atMost(BOUND).until(() -> haHealth(instanceId).path("whole").asBoolean());
			assertThat(Set.copyOf(nodeHosts(instanceId).values())).hasSize(3).doesNotContain(spare);
			assertThat(sampler.shared).as("moments two nodes shared an agent").isEmpty();
		}
		finally {
			for (String agent : new String[] { spare, lost }) {
				if (agent != null) {
					platform.post(platform.marathon("/local-platform/agents/" + agent + "/start"));
				}
			}
		}
	}

	private static void provision(String instanceId) {
		assertThat(api
			.call(HttpMethod.PUT, instancePath(instanceId) + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
							+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode poll = lastOperation(instanceId, "provision");
			assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isNotEqualTo("failed");
			return "succeeded".equals(poll.path("state").asText());
		});
	}

	// whole, and every replica's constraint keeps it off the agents the others run on
	// (the repair has refreshed those that were rendered before the last node had one)
	private static void awaitSettled(String instanceId) {
		await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
			if (!haHealth(instanceId).path("whole").asBoolean()) {
				return false;
			}
			Map<Integer, JsonNode> apps = nodeApps(instanceId);
			Map<Integer, String> hosts = nodeHosts(instanceId);
			int current = 0;
			for (Map.Entry<Integer, JsonNode> app : apps.entrySet()) {
				if (app.getValue().path("deployments").size() > 0) {
					return false;
				}
				String unlike = "";
				for (JsonNode constraint : app.getValue().path("constraints")) {
					if (constraint.path(1).asText().equals("UNLIKE")) {
						unlike = constraint.path(2).asText();
					}
				}
				String pattern = unlike;
				boolean keepsOff = hosts.entrySet()
					.stream()
					.filter((other) -> !other.getKey().equals(app.getKey()))
					.allMatch((other) -> !pattern.isEmpty() && other.getValue().matches(pattern));
				current += keepsOff ? 1 : 0;
			}
			// the primary keeps the constraint it started with
			return apps.size() == 3 && current >= 2;
		});
	}

	private static JsonNode bind(String instanceId) {
		var bound = api.call(HttpMethod.PUT, instancePath(instanceId) + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
						+ "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}");
		assertThat(bound.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return bound.getBody().path("credentials");
	}

	private static JedisClientConfig config(JsonNode credentials) {
		return DefaultJedisClientConfig.builder()
			.user(credentials.path("username").asText())
			.password(credentials.path("password").asText())
			.timeoutMillis(2000)
			.build();
	}

	private static Set<HostAndPort> sentinels(JsonNode credentials) {
		Set<HostAndPort> sentinels = new HashSet<>();
		credentials.path("sentinels")
			.forEach((sentinel) -> sentinels
				.add(new HostAndPort(sentinel.path("host").asText(), sentinel.path("port").asInt())));
		return sentinels;
	}

	private static HostAndPort primary(Set<HostAndPort> sentinels, JsonNode credentials) {
		for (HostAndPort sentinel : sentinels) {
			try (Jedis jedis = new Jedis(sentinel, config(credentials))) {
				List<String> named = jedis.sentinelGetMasterAddrByName(credentials.path("master_name").asText());
				return new HostAndPort(named.get(0), Integer.parseInt(named.get(1)));
			}
			catch (JedisException ex) {
				// this Sentinel is away: ask the next
			}
		}
		throw new IllegalStateException("no Sentinel answered");
	}

	private static JsonNode lastOperation(String instanceId, String operation) {
		return api.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation?operation=" + operation, null)
			.getBody();
	}

	// the instance's entry in the ha health component: each node's role, whole
	private static JsonNode haHealth(String instanceId) {
		return api.call(HttpMethod.GET, "/actuator/health", null, null, true)
			.getBody()
			.path("components")
			.path("ha")
			.path("details")
			.path("nodes")
			.path(instanceId);
	}

	private static JsonNode queueEntry(String appId) throws Exception {
		for (JsonNode entry : JSON.readTree(platform.get(platform.marathon("/v2/queue")).body()).path("queue")) {
			if (entry.path("app").path("id").asText().equals(appId)) {
				return entry;
			}
		}
		return null;
	}

	private static Map<Integer, JsonNode> nodeApps(String instanceId) throws Exception {
		Map<Integer, JsonNode> apps = new TreeMap<>();
		String prefix = "/osb-redis/" + instanceId + "/node-";
		for (JsonNode app : JSON.readTree(platform.get(platform.marathon("/v2/apps?embed=apps.tasks")).body())
			.path("apps")) {
			String id = app.path("id").asText();
			if (id.startsWith(prefix)) {
				apps.put(Integer.parseInt(id.substring(prefix.length())), app);
			}
		}
		return apps;
	}

	// each node's agent, of the nodes that have a task
	private static Map<Integer, String> nodeHosts(String instanceId) throws Exception {
		Map<Integer, String> hosts = new TreeMap<>();
		nodeApps(instanceId)
			.forEach((node, app) -> app.path("tasks").forEach((task) -> hosts.put(node, task.path("host").asText())));
		return hosts;
	}

	private static HostAndPort redisOn(String instanceId, String host) throws Exception {
		for (JsonNode node : JSON
			.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body())) {
			if (node.path("Service").path("Address").asText().equals(host)) {
				return new HostAndPort(host, node.path("Service").path("Port").asInt());
			}
		}
		throw new IllegalStateException("no Redis listed on " + host);
	}

	private static String instancePath(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	/**
	 * Reads where the nodes' tasks run every 200 ms, and keeps every moment two nodes had
	 * a task on one agent.
	 */
	private static final class Sampler implements AutoCloseable {

		final List<String> shared = new ArrayList<>();

		volatile int samples;

		private final AtomicBoolean stop = new AtomicBoolean();

		private final Thread thread;

		Sampler(String instanceId) {
			this.thread = new Thread(() -> {
				while (!this.stop.get()) {
					try {
						Map<String, Set<Integer>> nodesByHost = new TreeMap<>();
						nodeApps(instanceId).forEach((node, app) -> app.path("tasks")
							.forEach((task) -> nodesByHost
								.computeIfAbsent(task.path("host").asText(), (host) -> new TreeSet<>())
								.add(node)));
						nodesByHost.forEach((host, nodes) -> {
							if (nodes.size() > 1) {
								synchronized (this.shared) {
									this.shared.add(host + ": nodes " + nodes);
								}
							}
						});
						this.samples++;
					}
					catch (Exception ex) {
						// the platform busy: the next sample
					}
					LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
				}
			}, "agent-sampler");
			this.thread.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.stop.set(true);
			this.thread.join(Duration.ofSeconds(10).toMillis());
		}

	}

	/**
	 * A Sentinel client that writes a key at a time, each acknowledged once a replica has
	 * it ({@code WAIT 1}), retrying through failovers.
	 */
	private static final class Writer implements AutoCloseable {

		final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();

		private volatile long stoppedAt;

		private volatile long firstAfterStop;

		private final AtomicBoolean stop = new AtomicBoolean();

		private final Thread thread;

		private final String masterName;

		private final JedisClientConfig config;

		private final Set<HostAndPort> sentinels;

		Writer(String masterName, JedisClientConfig config, Set<HostAndPort> sentinels) {
			this.masterName = masterName;
			this.config = config;
			this.sentinels = sentinels;
			this.thread = new Thread(() -> {
				try (JedisSentineled app = new JedisSentineled(masterName, config, sentinels, config)) {
					for (int i = 0; !this.stop.get(); i++) {
						try {
							app.set("agent-" + i, "v");
							if (app.waitReplicas("agent-" + i, 1, 1000) >= 1) {
								this.acknowledged.add("agent-" + i);
								long now = System.nanoTime();
								if (this.stoppedAt != 0 && this.firstAfterStop == 0 && now > this.stoppedAt) {
									this.firstAfterStop = now;
								}
							}
						}
						catch (JedisException ex) {
							// refused (the primary gone, a failover): try again shortly
							LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
						}
					}
				}
			}, "agent-loss-writer");
			this.thread.start();
		}

		void markStop(long at) {
			this.stoppedAt = at;
		}

		long firstAcknowledgedAfterStop() {
			return this.firstAfterStop;
		}

		void assertEveryAcknowledgedWriteIsKept() {
			try (JedisSentineled app = new JedisSentineled(this.masterName, this.config, this.sentinels, this.config)) {
				List<String> keys = List.copyOf(this.acknowledged);
				for (int from = 0; from < keys.size(); from += 500) {
					List<String> batch = keys.subList(from, Math.min(keys.size(), from + 500));
					assertThat(app.mget(batch.toArray(String[]::new))).as("acknowledged writes").containsOnly("v");
				}
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.stop.set(true);
			this.thread.join(Duration.ofSeconds(10).toMillis());
		}

	}

}
