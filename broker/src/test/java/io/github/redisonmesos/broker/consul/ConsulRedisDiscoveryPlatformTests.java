package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.broker.component.LocalPlatform;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.support.HaNodeTemplate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An HA instance's nodes found through the real Consul adapter: three apps rendered from
 * the HA node template run on the local platform (real redis-server and Sentinel), and
 * its marathon-consul bridge registers both ports of each with the node's tag.
 */
class ConsulRedisDiscoveryPlatformTests {

	private static final Duration START_BOUND = Duration.ofSeconds(60);

	private static LocalPlatform platform;

	private static RedisDiscovery discovery;

	private final String instanceId = UUID.randomUUID().toString();

	private final Passwords passwords = new Passwords();

	private final List<String> apps = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		ConsulProperties properties = new ConsulProperties(URI.create(platform.consul("")),
				URI.create(platform.consul("")), "osb-redis", Duration.ofSeconds(5), "", "");
		discovery = new ConsulRedisDiscovery(
				new RestConsulClient(properties, RestClient.builder(), new SimpleMeterRegistry()), properties);
	}

	@AfterEach
	void deleteApps() throws Exception {
		for (String app : this.apps) {
			platform.deleteApp(app);
		}
		await().atMost(START_BOUND).until(() -> discovery.locateHa(this.instanceId).isEmpty());
	}

	@Test
	void threeNodesFromTheTemplateAreFoundWithTheirRedisAndSentinelByIndex() throws Exception {
		deploy(0, "");
		HaNode first = await().atMost(START_BOUND)
			.until(() -> discovery.locateHa(this.instanceId), (nodes) -> !nodes.isEmpty())
			.get(0);
		assertThat(first.index()).isZero();
		// the others ask node-0's Sentinel for the primary, as the broker will render
		// them
		deploy(1, first.sentinel().toString());
		deploy(2, first.sentinel().toString());

		List<HaNode> nodes = await().atMost(START_BOUND)
			.until(() -> discovery.locateHa(this.instanceId), (listed) -> listed.size() == 3);
		assertThat(nodes).extracting(HaNode::index).containsExactly(0, 1, 2);
		List<RedisEndpoint> endpoints = new ArrayList<>();
		nodes.forEach((node) -> endpoints.addAll(List.of(node.redis(), node.sentinel())));
		assertThat(endpoints).doesNotHaveDuplicates().allSatisfy((endpoint) -> {
			assertThat(endpoint.host()).isEqualTo("127.0.0.1");
			assertThat(endpoint.port()).isBetween(31000, 32000);
		});
		assertThat(nodes.get(0)).isEqualTo(first);
		assertThat(discovery.locate(this.instanceId).passing()).extracting(RedisEndpoint::port)
			.containsExactlyInAnyOrder(nodes.get(0).redis().port(), nodes.get(1).redis().port(),
					nodes.get(2).redis().port());
		// what was found is the template's Sentinels, each monitoring node-0's Redis
		for (HaNode node : nodes) {
			await().atMost(START_BOUND)
				.ignoreExceptions()
				.until(() -> primaryNamedBy(node.sentinel()), first.redis()::equals);
		}
	}

	private RedisEndpoint primaryNamedBy(RedisEndpoint sentinel) {
		// a Sentinel's default user may ask this without a password (docs/HA-NODE.md)
		try (Jedis jedis = new Jedis(sentinel.host(), sentinel.port())) {
			List<String> address = jedis.sentinelGetMasterAddrByName("osb-" + this.instanceId);
			return new RedisEndpoint(address.get(0), Integer.parseInt(address.get(1)));
		}
	}

	private void deploy(int n, String sentinels) throws Exception {
		String appId = "/osb-redis/" + this.instanceId + "/node-" + n;
		Map<String, String> values = new LinkedHashMap<>();
		values.put("appId", appId);
		values.put("instanceId", this.instanceId);
		values.put("serviceId", "service");
		values.put("planId", "ha");
		values.put("node", Integer.toString(n));
		values.put("cpus", "0.1");
		values.put("mem", "128");
		values.put("maxmemory", "64mb");
		values.put("volumeName", "osb-redis-" + this.instanceId + "-node-" + n);
		values.put("volumeSize", "1");
		// dynamic ports from the platform's range: nothing here must be known in advance
		values.put("port", "0");
		values.put("sentinelPort", "0");
		values.put("requirePorts", "false");
		values.put("consulService", ServiceNames.of(this.instanceId));
		values.put("consulSentinelService", ServiceNames.sentinelOf(this.instanceId));
		values.put("masterName", "osb-" + this.instanceId);
		values.put("sentinels", sentinels);
		values.put("quorum", "2");
		values.put("downAfterMs", "5000");
		values.put("failoverTimeoutMs", "10000");
		values.put("adminUser", "osb-admin");
		values.put("adminPasswordSha256", Passwords.redisHash(this.passwords.generate()));
		values.put("replicationUser", "osb-replication");
		values.put("replicationPasswordSha256", Passwords.redisHash(this.passwords.generate()));
		values.put("sentinelUser", "osb-sentinel");
		values.put("sentinelPasswordSha256", Passwords.redisHash(this.passwords.generate()));
		values.put("placementField", "hostname");
		values.put("placementOperator", "LIKE");
		values.put("placementValue", ".*");
		JsonNode app = HaNodeTemplate.render(values);
		// the one agent is this machine: listen on loopback only (docs/HA-NODE.md)
		((ObjectNode) app.path("env")).put("REDIS_BIND", "127.0.0.1");
		platform.createApp(app.toString());
		this.apps.add(appId);
	}

}
