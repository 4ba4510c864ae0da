package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.support.FakeConsul;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery over the fake Consul (held to the adapter by {@link ConsulClientContract}):
 * which registrations make an HA node.
 */
class ConsulRedisDiscoveryTests {

	private static final String ID = "5f0c2a9e-3d1b-4e8f-9a47-1c6b2d8e0f35";

	private static final String REDIS = ServiceNames.of(ID);

	private static final String SENTINEL = ServiceNames.sentinelOf(ID);

	private final FakeConsul consul = new FakeConsul();

	private final RedisDiscovery discovery = new ConsulRedisDiscovery(this.consul,
			new ConsulProperties(URI.create("http://127.0.0.1:8500"), URI.create("http://127.0.0.1:8500"), "osb-redis",
					Duration.ofSeconds(5), "", ""));

	@Test
	void eachNodeWithRedisAndSentinelPassingIsListedByItsTagInIndexOrder() {
		for (int n : List.of(2, 0, 1)) {
			this.consul.addPassing(SENTINEL, "10.0.0." + n, 31100 + n, tags(n));
		}
		for (int n : List.of(1, 2, 0)) {
			this.consul.addPassing(REDIS, "10.0.0." + n, 31000 + n, tags(n));
		}
		assertThat(this.discovery.locateHa(ID)).containsExactly(node(0), node(1), node(2));
	}

	@Test
	void aNodeWhoseRedisOrSentinelIsNotPassingIsLeftOut() {
		for (int n = 0; n < 3; n++) {
			this.consul.addPassing(REDIS, "10.0.0." + n, 31000 + n, tags(n));
		}
		this.consul.addPassing(SENTINEL, "10.0.0.0", 31100, tags(0));
		this.consul.addCritical(SENTINEL, "10.0.0.1", 31101, tags(1));
		assertThat(this.discovery.locateHa(ID)).containsExactly(node(0));
	}

	@Test
	void aSentinelWithoutItsRedisIsNoNode() {
		this.consul.addPassing(SENTINEL, "10.0.0.1", 31101, tags(1));
		this.consul.addPassing(REDIS, "10.0.0.2", 31002, tags(2));
		assertThat(this.discovery.locateHa(ID)).isEmpty();
	}

	@Test
	void registrationsWithoutANodeTagAreNoNodes() {
		this.consul.passing(REDIS, "10.0.0.7", 31000);
		this.consul.addPassing(SENTINEL, "10.0.0.7", 31100, List.of("marathon", "node-x"));
		assertThat(this.discovery.locateHa(ID)).isEmpty();
		assertThat(this.discovery.locateHa("other")).isEmpty();
	}

	@Test
	void aNodeListedTwiceCountsOnceWithItsFirstRegistration() {
		this.consul.addPassing(REDIS, "10.0.0.0", 31000, tags(0));
		this.consul.addPassing(REDIS, "10.0.0.9", 31009, tags(0));
		this.consul.addPassing(SENTINEL, "10.0.0.0", 31100, tags(0));
		assertThat(this.discovery.locateHa(ID)).containsExactly(node(0));
	}

	@Test
	void theSingleNodeLocationStillListsEveryPassingEndpoint() {
		this.consul.addPassing(REDIS, "10.0.0.0", 31000, tags(0));
		this.consul.addPassing(REDIS, "10.0.0.1", 31001, tags(1));
		assertThat(this.discovery.locate(ID).passing()).containsExactly(new RedisEndpoint("10.0.0.0", 31000),
				new RedisEndpoint("10.0.0.1", 31001));
	}

	/** The tags marathon-consul gives both ports of node {@code n}'s task. */
	private static List<String> tags(int n) {
		return List.of("marathon", ServiceNames.nodeTag(n), "marathon-task:osb-redis_" + ID + "_node-" + n + ".1");
	}

	private static HaNode node(int n) {
		return new HaNode(n, new RedisEndpoint("10.0.0." + n, 31000 + n), new RedisEndpoint("10.0.0." + n, 31100 + n));
	}

}
