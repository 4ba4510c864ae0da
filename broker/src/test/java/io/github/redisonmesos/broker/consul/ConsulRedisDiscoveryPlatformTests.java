package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.component.LocalPlatform;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.marathon.TestAppDefinitions;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.testsupport.EndToEnd;
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
@EndToEnd
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
		discovery = new ConsulRedisDiscovery(new RestConsulClient(properties, TlsProperties.NONE, null,
				RestClient.builder(), new SimpleMeterRegistry()), properties);
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
		deploy(0, List.of());
		HaNode first = await().atMost(START_BOUND)
			.until(() -> discovery.locateHa(this.instanceId), (nodes) -> !nodes.isEmpty())
			.get(0);
		assertThat(first.index()).isZero();
		// the others ask node-0's Sentinel for the primary, as the broker will render
		// them
		deploy(1, List.of(first));
		deploy(2, List.of(first));

		List<HaNode> nodes = await().atMost(START_BOUND)
			.until(() -> discovery.locateHa(this.instanceId), (listed) -> listed.size() == 3);
		assertThat(nodes).extracting(HaNode::index).containsExactly(0, 1, 2);
		List<RedisEndpoint> endpoints = new ArrayList<>();
		nodes.forEach((node) -> endpoints.addAll(List.of(node.redis(), node.sentinel())));
		assertThat(endpoints).doesNotHaveDuplicates().allSatisfy((endpoint) -> {
			// the address of the node's agent (the local platform's agents are 127.0.1.N)
			assertThat(endpoint.host()).matches("127\\.0\\.1\\.[0-9]+");
			assertThat(endpoint.port()).isBetween(platform.taskPorts().first(), platform.taskPorts().last());
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

	// dynamic ports from the platform's range: nothing here must be known in advance
	private void deploy(int n, List<HaNode> listed) throws Exception {
		HaDeployment ha = new HaDeployment("osb-" + this.instanceId, 2, Duration.ofSeconds(5), Duration.ofSeconds(10),
				"osb-replication", Passwords.redisHash(this.passwords.generate()), "osb-sentinel",
				Passwords.redisHash(this.passwords.generate()),
				Collections.nCopies(3, new HaDeployment.NodeSpec(0, 0, List.of())), listed);
		JsonNode app = TestAppDefinitions
			.renderNode(TestAppDefinitions.ha(this.instanceId, Passwords.redisHash(this.passwords.generate()), ha), n);
		platform.createApp(app.toString());
		this.apps.add(app.path("id").asText());
	}

}
