package io.github.redisonmesos.broker.binding;

import java.util.List;
import java.util.Map;

import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code host}, {@code uri} and {@code sentinels} name in an {@code ha} binding, in
 * each host style (docs/INTERFACES.md, "Binding credentials").
 */
class BindingCredentialsTests {

	private static final String ID = "5f0c2a9e-3d1b-4e8f-9a47-1c6b2d8e0f35";

	private static final CredentialsProperties CONSUL_DNS = new CredentialsProperties(
			CredentialsProperties.HostStyle.CONSUL_DNS, "dc.example");

	// the nodes as Consul lists them now, node-1 the primary
	private static final List<HaNode> NODES = List.of(node(0, "10.0.0.1", 33100), node(1, "10.0.0.2", 33102),
			node(2, "10.0.0.3", 33104));

	private static final RedisEndpoint PRIMARY = NODES.get(1).redis();

	private static final RedisLocation LOCATION = new RedisLocation("redis-" + ID,
			NODES.stream().map(HaNode::redis).toList());

	private final TestBroker broker = new TestBroker();

	@Test
	void withConsulDnsAnHaBindingNamesThePrimaryNodeAndEachSentinelByTheirNodeTagOnTheirOwnPorts() {
		Map<String, Object> credentials = credentials(CONSUL_DNS)
			.create(ha(List.of(33100, 33101, 33102, 33103, 33104, 33105)), LOCATION, PRIMARY, NODES, "b-1", "secret");

		String primary = "node-1.redis-" + ID + ".service.dc.example";
		assertThat(credentials).containsEntry("host", primary)
			.containsEntry("port", 33102)
			.containsEntry("uri", "redis://b-1:secret@" + primary + ":33102")
			.containsEntry("master_name", "osb-" + ID)
			.containsEntry("sentinels",
					List.of(Map.of("host", "node-0.sntnl-" + ID + ".service.dc.example", "port", 33101),
							Map.of("host", "node-1.sntnl-" + ID + ".service.dc.example", "port", 33103),
							Map.of("host", "node-2.sntnl-" + ID + ".service.dc.example", "port", 33105)))
			.containsEntry("sentinel_nodes",
					"node-0.sntnl-" + ID + ".service.dc.example:33101,node-1.sntnl-" + ID
							+ ".service.dc.example:33103,node-2.sntnl-" + ID + ".service.dc.example:33105")
			.containsEntry("consul_sentinel_service", "sntnl-" + ID);
	}

	@Test
	void withConsulDnsAndNoPortRangeTheNamesCarryThePortsListedNow() {
		Map<String, Object> credentials = credentials(CONSUL_DNS).create(ha(List.of()), LOCATION, PRIMARY, NODES, "b-1",
				"secret");

		assertThat(credentials).containsEntry("host", "node-1.redis-" + ID + ".service.dc.example")
			.containsEntry("port", 33102);
		assertThat(sentinel(credentials, 2)).containsEntry("host", "node-2.sntnl-" + ID + ".service.dc.example")
			.containsEntry("port", 33105);
	}

	@Test
	void withAddressesAnHaBindingNamesThePrimaryAndTheSentinelsWhereConsulListsThemNow() {
		Map<String, Object> credentials = credentials(TestBindings.ADDRESS)
			.create(ha(List.of(33100, 33101, 33102, 33103, 33104, 33105)), LOCATION, PRIMARY, NODES, "b-1", "secret");

		assertThat(credentials).containsEntry("host", "10.0.0.2")
			.containsEntry("port", 33102)
			.containsEntry("uri", "redis://b-1:secret@10.0.0.2:33102");
		assertThat(sentinel(credentials, 0)).containsEntry("host", "10.0.0.1").containsEntry("port", 33101);
		// the same Sentinels as Spring Boot's spring.data.redis.sentinel.nodes takes them
		assertThat(credentials).containsEntry("sentinel_nodes", "10.0.0.1:33101,10.0.0.2:33103,10.0.0.3:33105")
			.containsEntry("sentinel_username", "b-1")
			.containsEntry("sentinel_password", "secret");
	}

	private BindingCredentials credentials(CredentialsProperties properties) {
		return TestBindings.credentials(this.broker, "", properties);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> sentinel(Map<String, Object> credentials, int index) {
		return ((List<Map<String, Object>>) credentials.get("sentinels")).get(index);
	}

	private static InstanceRecord ha(List<Integer> ports) {
		return new InstanceRecord(ID, "service", "plan-ha", "org", "space", Map.of(), 1, null, null, null, 0,
				new InstanceRecord.Ha(null, null, ports, 3));
	}

	private static HaNode node(int index, String host, int port) {
		return new HaNode(index, new RedisEndpoint(host, port), new RedisEndpoint(host, port + 1));
	}

}
