package io.github.redisonmesos.broker.binding;

import java.util.List;
import java.util.Map;

import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.tls.TestCa;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A binding of an instance with {@code tls} (docs/INTERFACES.md, "Binding credentials"):
 * {@code tls_port} and the operator's CA certificate, and a {@code rediss://} uri when
 * TLS is required; an instance without TLS binds as before.
 */
class TlsBindingCredentialsTests {

	private static final String ID = "7d1e0c2a-9b3f-4a58-8e61-2c4d6f8a0b13";

	private static final CredentialsProperties CONSUL_DNS = new CredentialsProperties(
			CredentialsProperties.HostStyle.CONSUL_DNS, "dc.example");

	private static final RedisEndpoint LISTED = new RedisEndpoint("10.0.0.7", 33007);

	private static final RedisLocation LOCATION = new RedisLocation("redis-" + ID, List.of(LISTED));

	private final TestBroker broker = new TestBroker();

	@Test
	void requiredHandsOutARedissUriTheTlsPortAndTheCaCertificate() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		Map<String, Object> credentials = TestBindings.credentials(this.broker, "", CONSUL_DNS, ca.certificates())
			.create(single(Map.of("tls", "required")), LOCATION, LISTED, List.of(), "b-1", "secret");
		String host = "redis-" + ID + ".service.dc.example";
		assertThat(credentials).containsEntry("host", host)
			.containsEntry("port", 33007)
			.containsEntry("tls_port", 33007)
			.containsEntry("uri", "rediss://b-1:secret@" + host + ":33007")
			.containsEntry("ca_certificate", ca.certificatePem());
		assertThat(credentials.toString()).doesNotContain("PRIVATE KEY");
	}

	@Test
	void optionalHandsOutThePlainUriAndPortWithTheTlsPortBeside() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		Map<String, Object> credentials = TestBindings.credentials(this.broker, "", CONSUL_DNS, ca.certificates())
			.create(single(Map.of("tls", "optional")).withTlsPort(33008), LOCATION, LISTED, List.of(), "b-1", "secret");
		String host = "redis-" + ID + ".service.dc.example";
		assertThat(credentials).containsEntry("host", host)
			.containsEntry("port", 33007)
			.containsEntry("tls_port", 33008)
			.containsEntry("uri", "redis://b-1:secret@" + host + ":33007")
			.containsEntry("ca_certificate", ca.certificatePem());
	}

	@Test
	void withoutTlsTheCredentialsAreAsBefore() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		Map<String, Object> credentials = TestBindings
			.credentials(this.broker, "", TestBindings.ADDRESS, ca.certificates())
			.create(single(Map.of()), LOCATION, LISTED, List.of(), "b-1", "secret");
		assertThat(credentials).containsEntry("uri", "redis://b-1:secret@10.0.0.7:33007")
			.doesNotContainKeys("tls_port", "ca_certificate");
	}

	@Test
	void anHaBindingWithTlsRequiredGivesEachSentinelItsTlsPortTheCaAndARedissUri() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		List<HaNode> nodes = List.of(node(0, "10.0.0.1", 33100), node(1, "10.0.0.2", 33102),
				node(2, "10.0.0.3", 33104));
		InstanceRecord ha = new InstanceRecord(ID, "service", "plan-ha", "org", "space", Map.of("tls", "required"), 1,
				null, null, null, 0,
				new InstanceRecord.Ha(null, null, List.of(33100, 33101, 33102, 33103, 33104, 33105), 3));
		Map<String, Object> credentials = TestBindings.credentials(this.broker, "", CONSUL_DNS, ca.certificates())
			.create(ha, new RedisLocation("redis-" + ID, nodes.stream().map(HaNode::redis).toList()),
					nodes.get(1).redis(), nodes, "b-1", "secret");
		String primary = "node-1.redis-" + ID + ".service.dc.example";
		assertThat(credentials).containsEntry("uri", "rediss://b-1:secret@" + primary + ":33102")
			.containsEntry("port", 33102)
			.containsEntry("tls_port", 33102)
			.containsEntry("ca_certificate", ca.certificatePem())
			.containsEntry("sentinels", List.of(
					Map.of("host", "node-0.sntnl-" + ID + ".service.dc.example", "port", 33101, "tls_port", 33101),
					Map.of("host", "node-1.sntnl-" + ID + ".service.dc.example", "port", 33103, "tls_port", 33103),
					Map.of("host", "node-2.sntnl-" + ID + ".service.dc.example", "port", 33105, "tls_port", 33105)))
			.containsEntry("sentinel_nodes", "node-0.sntnl-" + ID + ".service.dc.example:33101,node-1.sntnl-" + ID
					+ ".service.dc.example:33103,node-2.sntnl-" + ID + ".service.dc.example:33105");
		assertThat(credentials.toString()).doesNotContain("PRIVATE KEY");
	}

	private static HaNode node(int index, String host, int port) {
		return new HaNode(index, new RedisEndpoint(host, port), new RedisEndpoint(host, port + 1));
	}

	private static InstanceRecord single(Map<String, Object> parameters) {
		return new InstanceRecord(ID, "service", "plan", "org", "space", parameters, 1, null, null, null, 33007, null);
	}

}
