package io.github.redisonmesos.broker.component;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ha} plan across the local platform's four Mesos agents, through the broker,
 * with the demo's Sentinel timings ({@link InProcessBroker#withHaPlanAtDemoTimings}): the
 * platform, the broker and what the agent-loss tests share. Each test is a class of its
 * own ({@link HaAgentLossLocalPlatformTests} and the other {@code HaAgentLoss*} classes),
 * on a platform and a broker of its own, so that failsafe runs them side by side. Every
 * test provisions, settles and binds an instance, and leaves the platform as it found it
 * (every agent running, the instance deprovisioned). A sampler reads Marathon's tasks
 * every 200 ms through each whole test: never two nodes on one agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HaAgentLossLocalPlatform {

	static final String SERVICE_ID = HaBindings.SERVICE_ID;

	static final String HA = HaBindings.HA;

	static final Duration BOUND = Duration.ofSeconds(180);

	static final Duration MAX_GAP_WITHOUT_FAILOVER = Duration.ofSeconds(5);

	static final ObjectMapper JSON = new ObjectMapper();

	LocalPlatform platform;

	ConfigurableApplicationContext broker;

	BrokerApi api;

	@BeforeAll
	void start() throws Exception {
		platform = new LocalPlatform(Files.createTempDirectory("ha-agents").resolve("state"),
				"--local-platform.agents=4");
		broker = InProcessBroker.start(platform, getClass(),
				InProcessBroker.withHaPlanAtDemoTimings(
						"--BROKER_MARATHON_REDIS_PORTS=" + platform.redisPorts(getClass()),
						"--broker.reconcile.ha-interval=" + haInterval().toMillis() + "ms",
						"--BROKER_VOLUMES_URL=" + platform.libStorage(""), "--BROKER_VOLUMES_SERVICE=local"));
		api = InProcessBroker.api(broker);
	}

	// the broker's broker.reconcile.ha-interval: how often it checks the HA instances
	Duration haInterval() {
		return Duration.ofSeconds(1);
	}

	@AfterAll
	void stop() {
		if (broker != null) {
			broker.close();
		}
		if (platform != null) {
			platform.close();
		}
	}

	// the agent of the primary stopped under a WAIT 1 writer: every acknowledged write
	// kept, writes go on with a new primary, the lost node back on the spare agent as a
	// replica, whole again, and no two nodes on one agent at any sampled moment
	void primarysAgentLost(Bound bound, String lost, Sampler sampler) throws Exception {
		Writer writer = bound.writer();
		long stopped;
		long firstWrite;
		try (writer) {
			awaitAcknowledgedWrites(writer);
			stopped = stopAgent(lost);
			writer.markStop(stopped);
			firstWrite = awaitFirstAcknowledgedWrite(writer);
			assertThat(bound.primary().getHost()).isNotEqualTo(lost);
			assertThat(awaitBackAsReplicaInSync(bound, bound.nodeOn(lost), lost))
				.as("the agent the lost node came back on")
				.isEqualTo(bound.spare());
			awaitWhole(bound);
		}
		long whole = System.nanoTime();
		writer.assertEveryAcknowledgedWriteIsKept();
		report("agent loss of " + bound.instanceId() + " (the primary's, " + lost + ")", "the stop", stopped,
				firstWrite, whole, writer);
		sampler.report(stopped);
		assertNeverShared(sampler);
	}

	void provision(String instanceId) {
		assertThat(api
			.call(HttpMethod.PUT, instancePath(instanceId) + "?accepts_incomplete=true",
					"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
							+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}")
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		// the last description goes into the failure: a provision that never ends says
		// where it stood
		AtomicReference<String> last = new AtomicReference<>("no last_operation yet");
		try {
			await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
				JsonNode poll = lastOperation(instanceId, "provision");
				last.set(poll.path("state").asText() + ": " + poll.path("description").asText());
				assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isNotEqualTo("failed");
				return "succeeded".equals(poll.path("state").asText());
			});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("the provision of " + instanceId + " did not succeed within " + BOUND
					+ "; its last_operation: " + last.get(), ex);
		}
	}

	// the platform left as the test found it: the agents' task counts decide where an
	// unconstrained task lands, so an instance left behind would change where the next
	// test's nodes go
	void deprovision(String instanceId) {
		api.call(HttpMethod.DELETE,
				instancePath(instanceId) + "?accepts_incomplete=true&service_id=" + SERVICE_ID + "&plan_id=" + HA,
				null);
		await().atMost(BOUND).ignoreExceptions().until(() -> nodeApps(instanceId).isEmpty());
	}

	// whole, and every replica's constraint keeps it off the agents the others run on
	// (the repair has refreshed those that were rendered before the last node had one)
	void awaitSettled(String instanceId) {
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
				String pattern = unlike(app.getValue());
				boolean keepsOff = hosts.entrySet()
					.stream()
					.filter((other) -> !other.getKey().equals(app.getKey()))
					.allMatch((other) -> !pattern.isEmpty() && other.getValue().matches(pattern));
				current += keepsOff ? 1 : 0;
			}
			return apps.size() == 3 && current == 3;
		});
	}

	// the hosts a node app's hostname UNLIKE constraint keeps it off, as a pattern that
	// matches no host without one
	static String unlike(JsonNode app) {
		for (JsonNode constraint : app.path("constraints")) {
			if (constraint.path(0).asText().equals("hostname") && constraint.path(1).asText().equals("UNLIKE")) {
				return constraint.path(2).asText();
			}
		}
		return "(?!)";
	}

	int tasksOn(String appId, String host) throws Exception {
		int tasks = 0;
		for (JsonNode task : JSON.readTree(platform.get(platform.marathon("/v2/apps" + appId)).body())
			.path("app")
			.path("tasks")) {
			tasks += (task.path("host").asText().equals(host) && task.path("state").asText().equals("TASK_RUNNING")) ? 1
					: 0;
		}
		return tasks;
	}

	// the broker's calls of one kind to Marathon or Consul (broker.remote.calls)
	double brokerCalls(String service, String call) {
		return broker.getBean(MeterRegistry.class)
			.find("broker.remote.calls")
			.tag("service", service)
			.tag("call", call)
			.timers()
			.stream()
			.mapToDouble(Timer::count)
			.sum();
	}

	JsonNode bind(String instanceId) {
		var bound = api.call(HttpMethod.PUT, instancePath(instanceId) + "/service_bindings/" + UUID.randomUUID(),
				"{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + HA
						+ "\",\"bind_resource\":{\"app_guid\":\"app-1\"}}");
		assertThat(bound.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		return bound.getBody().path("credentials");
	}

	// provisioned, settled on three agents, bound: what the tests start from
	Bound provisionSettledAndBind(String instanceId) throws Exception {
		provision(instanceId);
		Map<Integer, String> provisioned = nodeHosts(instanceId);
		assertThat(Set.copyOf(provisioned.values())).as("the nodes' agents %s", provisioned).hasSize(3);
		// node-0 too: deployed alone and the primary first, it restarted as a replica
		// with a constraint before the provision succeeded
		Map<Integer, JsonNode> apps = nodeApps(instanceId);
		for (int node = 0; node < 3; node++) {
			int self = node;
			List<String> others = provisioned.entrySet()
				.stream()
				.filter((other) -> other.getKey() != self)
				.map(Map.Entry::getValue)
				.toList();
			assertThat(others)
				.as("the agents node-%d keeps off (its constraint %s)", node, apps.get(node).path("constraints"))
				.allMatch((host) -> host.matches(unlike(apps.get(self))));
		}
		awaitSettled(instanceId);
		Map<Integer, String> hosts = nodeHosts(instanceId);
		assertThat(Set.copyOf(hosts.values())).as("the nodes' agents %s", hosts).hasSize(3);
		List<String> spare = new ArrayList<>();
		for (JsonNode agent : JSON.readTree(platform.get(platform.marathon("/local-platform/agents")).body())) {
			if (agent.path("state").asText().equals("running") && !hosts.containsValue(agent.path("host").asText())) {
				spare.add(agent.path("host").asText());
			}
		}
		assertThat(spare).as("the running agents no node runs on").hasSize(1);
		return new Bound(instanceId, bind(instanceId), Map.copyOf(hosts), spare.get(0));
	}

	void awaitAcknowledgedWrites(Writer writer) {
		await().atMost(BOUND).until(() -> writer.acknowledged.size() >= 20);
	}

	long awaitFirstAcknowledgedWrite(Writer writer) {
		await().atMost(BOUND).until(() -> writer.firstAcknowledgedAfterStop() != 0);
		return writer.firstAcknowledgedAfterStop();
	}

	// the node's agent lost: it comes back on another agent, the three apart, as a
	// replica in sync that takes the binding's user
	String awaitBackAsReplicaInSync(Bound bound, int node, String lost) {
		Map<Integer, String> after = await().atMost(BOUND)
			.until(() -> nodeHosts(bound.instanceId()),
					(now) -> now.size() == 3 && Set.copyOf(now.values()).size() == 3 && !now.containsValue(lost));
		String back = after.get(node);
		await().atMost(BOUND).ignoreExceptions().until(() -> {
			try (Jedis returned = new Jedis(redisOn(bound.instanceId(), back), bound.config())) {
				String replication = returned.info("replication");
				return replication.contains("role:slave") && replication.contains("master_link_status:up");
			}
		});
		return back;
	}

	// whole by the broker's health and by the nodes themselves: the health is the
	// broker's last check, which may predate the loss
	void awaitWhole(Bound bound) throws Exception {
		String adminPassword = adminPassword(bound.instanceId());
		await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			if (!haHealth(bound.instanceId()).path("whole").asBoolean()) {
				return false;
			}
			try (Jedis primary = new Jedis(bound.primary(), bound.config())) {
				String replication = primary.info("replication");
				if (!replication.contains("role:master")
						|| replication.split("state=online", -1).length - 1 != bound.hosts().size() - 1) {
					return false;
				}
			}
			JsonNode sentinels = JSON
				.readTree(platform.get(platform.consul("/v1/health/service/sntnl-" + bound.instanceId() + "?passing"))
					.body());
			if (sentinels.size() != bound.hosts().size()) {
				return false;
			}
			Set<String> current = new HashSet<>();
			sentinels.forEach((sentinel) -> current.add(sentinel.path("Service").path("Address").asText() + ":"
					+ sentinel.path("Service").path("Port").asInt()));
			String masterName = bound.credentials().path("master_name").asText();
			for (String address : current) {
				try (Jedis admin = new Jedis(HostAndPort.from(address),
						DefaultJedisClientConfig.builder()
							.user(InstanceRecord.ADMIN_USER)
							.password(adminPassword)
							.timeoutMillis(2000)
							.build())) {
					Object quorum = admin.sendCommand(Protocol.Command.SENTINEL, "CKQUORUM", masterName);
					if (!SafeEncoder.encode((byte[]) quorum).startsWith("OK " + bound.hosts().size() + " usable")) {
						return false;
					}
					// every other Sentinel heard at its current address, none flagged
					// down
					Set<String> heard = new HashSet<>();
					admin.sentinelSentinels(masterName)
						.stream()
						.filter((other) -> !other.get("flags").contains("down")
								&& !other.get("flags").contains("disconnected"))
						.forEach((other) -> heard.add(other.get("ip") + ":" + other.get("port")));
					Set<String> others = new HashSet<>(current);
					others.remove(address);
					if (!heard.containsAll(others)) {
						return false;
					}
				}
			}
			return true;
		});
	}

	// its tasks and their processes gone at once: the time they are gone
	long stopAgent(String host) throws Exception {
		assertThat(platform.post(platform.marathon("/local-platform/agents/" + host + "/stop")).statusCode())
			.isEqualTo(200);
		return System.nanoTime();
	}

	void startAgent(String host) throws Exception {
		if (host != null) {
			platform.post(platform.marathon("/local-platform/agents/" + host + "/start"));
		}
	}

	void report(String what, String cause, long at, long firstWrite, long whole, Writer writer) {
		System.out.printf(
				"%s: first acknowledged write %d ms after %s, whole again after %d ms; longest time without an "
						+ "acknowledged write %d ms; %d acknowledged writes, all kept%n",
				what, (firstWrite - at) / 1_000_000, cause, (whole - at) / 1_000_000,
				writer.longestGapAfterStop().toMillis(), writer.acknowledged.size());
	}

	void assertNeverShared(Sampler sampler) {
		assertThat(sampler.shared).as("moments two nodes shared an agent").isEmpty();
		assertThat(sampler.samples).isGreaterThan(10);
	}

	String adminPassword(String instanceId) throws Exception {
		InstanceRecord instance = TestBroker.OBJECT_MAPPER.readValue(
				platform.get(platform.consul("/v1/kv/osb-redis/instances/" + instanceId + "?raw")).body(),
				InstanceRecord.class);
		return TestSecrets.box().open(instance.adminPassword(), InstanceRecord.adminPasswordContext(instanceId));
	}

	static long processId(String info) {
		Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
		assertThat(pid.find()).isTrue();
		return Long.parseLong(pid.group(1));
	}

	static Set<HostAndPort> sentinels(JsonNode credentials) {
		Set<HostAndPort> sentinels = new HashSet<>();
		credentials.path("sentinels")
			.forEach((sentinel) -> sentinels
				.add(new HostAndPort(sentinel.path("host").asText(), sentinel.path("port").asInt())));
		return sentinels;
	}

	static HostAndPort primary(Set<HostAndPort> sentinels, JsonNode credentials) {
		for (HostAndPort sentinel : sentinels) {
			try (Jedis jedis = new Jedis(sentinel, HaBindings.plainConfig(credentials))) {
				List<String> named = jedis.sentinelGetMasterAddrByName(credentials.path("master_name").asText());
				return new HostAndPort(named.get(0), Integer.parseInt(named.get(1)));
			}
			catch (JedisException ex) {
				// this Sentinel is away: ask the next
			}
		}
		throw new IllegalStateException("no Sentinel answered");
	}

	JsonNode lastOperation(String instanceId, String operation) {
		return api.call(HttpMethod.GET, instancePath(instanceId) + "/last_operation?operation=" + operation, null)
			.getBody();
	}

	// the instance's entry in the ha health component: each node's role, whole
	JsonNode haHealth(String instanceId) {
		return api.call(HttpMethod.GET, "/actuator/health", null, null, true)
			.getBody()
			.path("components")
			.path("ha")
			.path("details")
			.path("nodes")
			.path(instanceId);
	}

	JsonNode queueEntry(String appId) throws Exception {
		for (JsonNode entry : JSON.readTree(platform.get(platform.marathon("/v2/queue")).body()).path("queue")) {
			if (entry.path("app").path("id").asText().equals(appId)) {
				return entry;
			}
		}
		return null;
	}

	Map<Integer, JsonNode> nodeApps(String instanceId) throws Exception {
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
	Map<Integer, String> nodeHosts(String instanceId) throws Exception {
		Map<Integer, String> hosts = new TreeMap<>();
		nodeApps(instanceId)
			.forEach((node, app) -> app.path("tasks").forEach((task) -> hosts.put(node, task.path("host").asText())));
		return hosts;
	}

	HostAndPort redisOn(String instanceId, String host) throws Exception {
		for (JsonNode node : JSON
			.readTree(platform.get(platform.consul("/v1/health/service/redis-" + instanceId + "?passing")).body())) {
			if (node.path("Service").path("Address").asText().equals(host)) {
				return new HostAndPort(host, node.path("Service").path("Port").asInt());
			}
		}
		throw new IllegalStateException("no Redis listed on " + host);
	}

	static String instancePath(String instanceId) {
		return "/v2/service_instances/" + instanceId;
	}

	/**
	 * An instance provisioned and settled, and its binding.
	 *
	 * @param instanceId the instance
	 * @param credentials the binding's credentials
	 * @param hosts each node's agent once settled
	 * @param spare the running agent no node ran on then
	 */
	record Bound(String instanceId, JsonNode credentials, Map<Integer, String> hosts, String spare) {

		JedisClientConfig config() {
			return HaBindings.plainConfig(this.credentials);
		}

		Set<HostAndPort> sentinels() {
			return HaAgentLossLocalPlatform.sentinels(this.credentials);
		}

		HostAndPort primary() {
			return HaAgentLossLocalPlatform.primary(sentinels(), this.credentials);
		}

		int nodeOn(String host) {
			return this.hosts.entrySet()
				.stream()
				.filter((node) -> node.getValue().equals(host))
				.findFirst()
				.orElseThrow()
				.getKey();
		}

		Writer writer() {
			return new Writer(this.credentials.path("master_name").asText(), config(), sentinels());
		}

	}

	/**
	 * One event a Sentinel published.
	 *
	 * @param sentinel the Sentinel
	 * @param channel the event ({@code +elected-leader}, ...)
	 * @param message its details
	 * @param at when it arrived ({@link System#nanoTime()})
	 */
	record SentinelEvent(HostAndPort sentinel, String channel, String message, long at) {

		@Override
		public String toString() {
			return this.sentinel + " " + this.channel + " " + this.message;
		}

	}

	/**
	 * Every event of every Sentinel ({@code PSUBSCRIBE *} as the instance's admin user),
	 * in the order they arrive; a Sentinel whose agent is lost just stops publishing.
	 */
	static final class SentinelEvents implements AutoCloseable {

		private final ConcurrentLinkedQueue<SentinelEvent> events = new ConcurrentLinkedQueue<>();

		private final List<Jedis> connections = new ArrayList<>();

		private final List<Thread> threads = new ArrayList<>();

		SentinelEvents(Set<HostAndPort> sentinels, String adminPassword) {
			CountDownLatch subscribed = new CountDownLatch(sentinels.size());
			for (HostAndPort sentinel : sentinels) {
				Jedis connection = new Jedis(sentinel,
						DefaultJedisClientConfig.builder()
							.user(InstanceRecord.ADMIN_USER)
							.password(adminPassword)
							.timeoutMillis(2000)
							.build());
				this.connections.add(connection);
				Thread thread = new Thread(() -> {
					try {
						// psubscribe waits without a read timeout: a quiet Sentinel is
						// not a
						// lost one
						connection.psubscribe(new JedisPubSub() {

							@Override
							public void onPSubscribe(String pattern, int subscribedChannels) {
								subscribed.countDown();
							}

							@Override
							public void onPMessage(String pattern, String channel, String message) {
								SentinelEvents.this.events
									.add(new SentinelEvent(sentinel, channel, message, System.nanoTime()));
							}

						}, "*");
					}
					catch (JedisException ex) {
						// the Sentinel gone (its agent lost), or closed
					}
				}, "sentinel-events-" + sentinel);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> subscribed.getCount() == 0);
		}

		SentinelEvent first(String channel) {
			return this.events.stream().filter((event) -> event.channel().equals(channel)).findFirst().orElse(null);
		}

		List<SentinelEvent> until(long at) {
			return this.events.stream().filter((event) -> event.at() <= at && !isHello(event)).toList();
		}

		List<SentinelEvent> after(long at) {
			return this.events.stream().filter((event) -> event.at() > at && !isHello(event)).toList();
		}

		boolean isHello(SentinelEvent event) {
			return event.channel().startsWith("__sentinel__");
		}

		@Override
		public void close() throws InterruptedException {
			for (Jedis connection : this.connections) {
				connection.close();
			}
			for (Thread thread : this.threads) {
				thread.join(Duration.ofSeconds(5).toMillis());
			}
		}

	}

	/**
	 * Reads where the nodes' tasks run every 200 ms, and keeps every moment two nodes had
	 * a task on one agent.
	 */
	final class Sampler implements AutoCloseable {

		final List<String> shared = new ArrayList<>();

		// when each of those moments was sampled (System.nanoTime())
		final List<Long> sharedAt = new ArrayList<>();

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
									this.sharedAt.add(System.nanoTime());
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

		// how long two nodes shared an agent after the stop, if they did: the time the
		// placement repair took
		void report(long stopped) {
			synchronized (this.shared) {
				System.out.printf("agents shared after the stop: %s%n",
						this.sharedAt.isEmpty() ? "never"
								: "from " + (this.sharedAt.get(0) - stopped) / 1_000_000 + " ms to "
										+ (this.sharedAt.get(this.sharedAt.size() - 1) - stopped) / 1_000_000
										+ " ms after it (" + this.shared.get(0) + ")");
			}
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
	static final class Writer implements AutoCloseable {

		final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();

		private volatile long stoppedAt;

		private volatile long firstAfterStop;

		private volatile long lastAcknowledged;

		private volatile long longestGapAfterStop;

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
				try (JedisSentineled app = HaBindings.sentineled(masterName, config, sentinels, BOUND)) {
					for (int i = 0; !this.stop.get(); i++) {
						try {
							app.set("agent-" + i, "v");
							if (app.waitReplicas("agent-" + i, 1, 1000) >= 1) {
								this.acknowledged.add("agent-" + i);
								long now = System.nanoTime();
								if (this.stoppedAt != 0 && this.firstAfterStop == 0 && now > this.stoppedAt) {
									this.firstAfterStop = now;
								}
								if (this.stoppedAt != 0 && now > this.stoppedAt) {
									this.longestGapAfterStop = Math.max(this.longestGapAfterStop,
											now - this.lastAcknowledged);
								}
								this.lastAcknowledged = now;
							}
							LockSupport.parkNanos(AcknowledgedWriter.PACE.toNanos());
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

		// from the last write acknowledged before the stop on, the longest time between
		// two
		Duration longestGapAfterStop() {
			return Duration.ofNanos(this.longestGapAfterStop);
		}

		void assertEveryAcknowledgedWriteIsKept() {
			try (JedisSentineled app = HaBindings.sentineled(this.masterName, this.config, this.sentinels, BOUND)) {
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
