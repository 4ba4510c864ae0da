package io.github.redisonmesos.broker.binding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys an {@code ha} binding adds for Sentinel clients.
 */
class BindingCredentialsTests {

	private static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	private final BindingCredentials credentials = TestBindings.credentials(new TestBroker(), "", TestBindings.ADDRESS);

	@Test
	void haCredentialsListTheSentinelsBothAsObjectsAndAsSpringBootsNodesInTheSameOrder() {
		Map<String, Object> credentials = new LinkedHashMap<>();
		List<HaNode> nodes = List.of(node(0, "10.0.3.17", 33013), node(1, "10.0.3.18", 33015),
				node(2, "agent-3.example", 33017));
		this.credentials.addHa(credentials,
				new InstanceRecord(ID, TestBroker.SERVICE_ID, "ha", "org", "space", Map.of(), 1, null, null, null),
				nodes, "b-binding", "secret");
		assertThat(credentials).containsEntry("master_name", "osb-" + ID)
			.containsEntry("sentinels",
					List.of(Map.of("host", "10.0.3.17", "port", 33013), Map.of("host", "10.0.3.18", "port", 33015),
							Map.of("host", "agent-3.example", "port", 33017)))
			.containsEntry("sentinel_nodes", "10.0.3.17:33013,10.0.3.18:33015,agent-3.example:33017")
			.containsEntry("sentinel_username", "b-binding")
			.containsEntry("sentinel_password", "secret")
			.containsEntry("consul_sentinel_service", "sntnl-" + ID);
	}

	private static HaNode node(int index, String host, int sentinelPort) {
		return new HaNode(index, new RedisEndpoint(host, sentinelPort - 1), new RedisEndpoint(host, sentinelPort));
	}

}
