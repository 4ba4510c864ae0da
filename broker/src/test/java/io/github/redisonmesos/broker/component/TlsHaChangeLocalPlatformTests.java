package io.github.redisonmesos.broker.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A change of {@code tls} on an existing {@code ha} instance on the local platform (issue
 * 28): {@code disabled} to {@code required} restarts every node at once (nodes with and
 * without TLS cannot replicate from or watch each other) and keeps every acknowledged
 * write, on the primary and both replicas, read over TLS trusting the CA alone; plain
 * connections are then refused, a Sentinel client with the new binding works; back to
 * {@code disabled} keeps the data too. Real redis-server 7.0.15 throughout.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(1)
@EndToEnd
class TlsHaChangeLocalPlatformTests {

	private static final Duration BOUND = Duration.ofSeconds(240);

	private static final int KEYS = 1000;

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext context;

	private static BrokerApi broker;

	private static TestCa ca;

	@BeforeAll
	static void start() throws Exception {
		ca = TestCa.generate("EC", "Operator TLS HA change test CA");
		platform = LocalPlatform.shared();
		// the demo's Sentinel timings: the last primary's own wait when every node
		// restarts at once is 10 s instead of 35 s
		context = InProcessBroker.startWithCa(platform, TlsHaChangeLocalPlatformTests.class, ca,
				InProcessBroker.withHaPlanAtDemoTimings("--broker.reconcile.ha-interval=1s"));
		broker = InProcessBroker.api(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void disabledToRequiredRestartsEveryNodeAtOnceAndKeepsEveryAcknowledgedWriteThenBackToDisabled() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		HaBindings.provision(broker, instanceId, "disabled", BOUND);
		JsonNode plainBinding = HaBindings.bind(broker, instanceId);
		assertThat(plainBinding.path("uri").asText()).startsWith("redis://");
		String masterName = plainBinding.path("master_name").asText();
		JedisClientConfig plain = HaBindings.plainConfig(plainBinding);
		Set<HostAndPort> sentinels = HaBindings.sentinels(plainBinding, "port");

		List<String> acknowledged = new ArrayList<>();
		try (JedisSentineled app = HaBindings.sentineled(masterName, plain, sentinels, BOUND)) {
			for (int i = 0; i < KEYS; i++) {
				app.set("key-" + i, "v");
				assertThat(app.waitReplicas("key-" + i, 1, 2000)).as("WAIT 1 for key-%d", i).isGreaterThanOrEqualTo(1);
				acknowledged.add("key-" + i);
			}
		}

		// an app writing plain text through the change, until the nodes speak TLS only
		List<String> descriptions = new ArrayList<>();
		long lastPlainAck;
		long succeededAt;
		List<String> duringChange;
		try (AcknowledgedWriter writer = new AcknowledgedWriter(
				HaBindings.sentineled(masterName, plain, sentinels, BOUND), 1, "change")) {
			await().atMost(BOUND).until(() -> writer.acknowledged().size() >= 20);
			ResponseEntity<JsonNode> accepted = patch(broker, instanceId, "{\"tls\":\"required\"}");
			assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			long requestedAt = writer.elapsedMillis();
			// a deprovision meanwhile is refused, as during every update
			ResponseEntity<JsonNode> deleting = broker.call(HttpMethod.DELETE, HaBindings.path(instanceId)
					+ "?accepts_incomplete=true&service_id=" + HaBindings.SERVICE_ID + "&plan_id=" + HaBindings.HA,
					null);
			assertThat(deleting.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
			AtomicLong lastAck = new AtomicLong(requestedAt);
			AtomicLong ackCount = new AtomicLong(writer.acknowledged().size());
			untilSucceeded(instanceId, descriptions, () -> {
				long count = writer.acknowledged().size();
				if (count != ackCount.getAndSet(count)) {
					lastAck.set(writer.elapsedMillis());
				}
			});
			succeededAt = writer.elapsedMillis() - requestedAt;
			lastPlainAck = lastAck.get() - requestedAt;
			writer.close();
			duringChange = writer.acknowledged();
		}
		assertThat(descriptions).first()
			.asString()
			.startsWith("changing tls, every node restarting at once: node-0, node-1, node-2 restarting with tls "
					+ "required");
		assertThat(descriptions).last().asString().startsWith("tls changed to required: every node restarted at once");
		assertThat(descriptions).noneMatch((description) -> description.contains("switching over"));

		// the new binding: rediss://, the same ports
		long boundAt = System.nanoTime();
		JsonNode tlsBinding = HaBindings.bind(broker, instanceId);
		assertThat(tlsBinding.path("uri").asText()).startsWith("rediss://");
		assertThat(HaBindings.sentinels(tlsBinding, "tls_port")).isEqualTo(sentinels);
		JedisClientConfig tls = HaBindings.tlsConfig(tlsBinding);
		try (JedisSentineled app = HaBindings.sentineled(masterName, tls, sentinels, BOUND)) {
			await().atMost(BOUND).ignoreExceptions().until(() -> {
				app.set("after-change", "v");
				return app.waitReplicas("after-change", 1, 2000) >= 1;
			});
		}
		long firstTlsWrite = succeededAt + (System.nanoTime() - boundAt) / 1_000_000;
		System.out.printf(
				"tls change disabled -> required on ha: last plain write acknowledged %d ms after the request, "
						+ "instance whole over TLS (operation succeeded) at %d ms, first TLS write through a new "
						+ "binding (WAIT 1) at %d ms: %d ms without writes; %d writes acknowledged during it%n",
				lastPlainAck, succeededAt, firstTlsWrite, firstTlsWrite - lastPlainAck, duringChange.size());

		// every acknowledged write on the primary and both replicas, over TLS trusting
		// the
		// CA alone
		acknowledged.addAll(duringChange);
		acknowledged.add("after-change");
		List<HostAndPort> nodes = nodes(sentinels, masterName, tls);
		assertThat(nodes).hasSize(3);
		for (HostAndPort node : nodes) {
			assertAllThere(node, tls, acknowledged);
		}

		// plain connections refused, to every Redis and every Sentinel
		for (HostAndPort address : union(nodes, sentinels)) {
			assertThatThrownBy(() -> {
				try (Jedis refused = new Jedis(address, plain)) {
					refused.ping();
				}
			}).as("a plain connection to %s", address).isInstanceOf(Exception.class);
		}

		// and back: disabled keeps the data, plain text works again
		ResponseEntity<JsonNode> back = patch(broker, instanceId, "{\"tls\":\"disabled\"}");
		assertThat(back.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		List<String> backDescriptions = new ArrayList<>();
		long backStarted = System.nanoTime();
		untilSucceeded(instanceId, backDescriptions, () -> {
		});
		System.out.printf("tls change required -> disabled on ha: operation succeeded after %d ms%n",
				(System.nanoTime() - backStarted) / 1_000_000);
		assertThat(backDescriptions).last().asString().startsWith("tls changed to disabled");
		JsonNode plainAgain = HaBindings.bind(broker, instanceId);
		assertThat(plainAgain.path("uri").asText()).startsWith("redis://");
		JedisClientConfig plainAgainConfig = HaBindings.plainConfig(plainAgain);
		try (JedisSentineled app = HaBindings.sentineled(masterName, plainAgainConfig, sentinels, BOUND)) {
			await().atMost(BOUND).ignoreExceptions().until(() -> {
				app.set("after-back", "v");
				return app.waitReplicas("after-back", 1, 2000) >= 1;
			});
		}
		acknowledged.add("after-back");
		for (HostAndPort node : nodes(sentinels, masterName, plainAgainConfig)) {
			assertAllThere(node, plainAgainConfig, acknowledged);
		}
	}

	private static ResponseEntity<JsonNode> patch(BrokerApi api, String instanceId, String parameters) {
		return api.call(HttpMethod.PATCH, HaBindings.path(instanceId) + "?accepts_incomplete=true",
				"{\"service_id\":\"" + HaBindings.SERVICE_ID + "\",\"parameters\":" + parameters + "}");
	}

	// polls the update as the platform does, every 250 ms, keeping each new description
	private static void untilSucceeded(String instanceId, List<String> descriptions, Runnable eachPoll) {
		Set<String> seen = new LinkedHashSet<>();
		try {
			await().atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> {
				eachPoll.run();
				JsonNode poll = broker
					.call(HttpMethod.GET, HaBindings.path(instanceId) + "/last_operation?operation=update", null)
					.getBody();
				seen.add(poll.path("description").asText());
				assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isNotEqualTo("failed");
				return "succeeded".equals(poll.path("state").asText());
			});
		}
		finally {
			descriptions.addAll(seen);
			seen.forEach((description) -> System.out.println("  last_operation: " + description));
		}
	}

	// the primary and the replicas as the Sentinels name them, once they agree on all
	// three
	private static List<HostAndPort> nodes(Set<HostAndPort> sentinels, String masterName, JedisClientConfig config) {
		return await().atMost(BOUND).ignoreExceptions().until(() -> {
			List<HostAndPort> found = new ArrayList<>();
			try (Jedis sentinel = new Jedis(sentinels.iterator().next(), config)) {
				List<String> primary = sentinel.sentinelGetMasterAddrByName(masterName);
				found.add(new HostAndPort(primary.get(0), Integer.parseInt(primary.get(1))));
				for (Map<String, String> replica : sentinel.sentinelReplicas(masterName)) {
					if (!replica.get("flags").contains("down") && !replica.get("flags").contains("disconnected")) {
						found.add(new HostAndPort(replica.get("ip"), Integer.parseInt(replica.get("port"))));
					}
				}
			}
			return found;
		}, (found) -> found.size() == 3);
	}

	// every key on one node (a replica once it has caught up)
	private static void assertAllThere(HostAndPort node, JedisClientConfig config, List<String> keys) {
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
			try (Jedis redis = new Jedis(node, config)) {
				for (int from = 0; from < keys.size(); from += 500) {
					List<String> batch = keys.subList(from, Math.min(keys.size(), from + 500));
					assertThat(redis.mget(batch.toArray(String[]::new))).as("acknowledged writes on %s", node)
						.containsOnly("v");
				}
			}
		});
	}

	private static Set<HostAndPort> union(List<HostAndPort> nodes, Set<HostAndPort> sentinels) {
		Set<HostAndPort> all = new LinkedHashSet<>(nodes);
		all.addAll(sentinels);
		return all;
	}

}
