package io.github.redisonmesos.broker.binding;

import io.github.redisonmesos.broker.catalog.TestCatalog;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.redis.TestRedisAcl;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;

import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;

/**
 * Builds the binding service of a {@link TestBroker} outside a Spring context.
 */
public final class TestBindings {

	/** The default: the address Consul lists. */
	public static final CredentialsProperties ADDRESS = new CredentialsProperties(
			CredentialsProperties.HostStyle.ADDRESS, "consul");

	private TestBindings() {
	}

	public static ServiceInstanceBindingService service(TestBroker broker, String consulAppToken) {
		return service(broker, consulAppToken, ADDRESS);
	}

	public static ServiceInstanceBindingService service(TestBroker broker, String consulAppToken,
			CredentialsProperties properties) {
		return new RedisServiceInstanceBindingService(broker.instances, broker.bindings,
				new BindingUsers(TestRedisAcl.create(), broker.adminPasswords, broker.catalog, broker.bindings),
				credentials(broker, consulAppToken, properties), broker.discovery(consulAppToken), broker.deployer,
				broker.passwords, broker.haSecrets, broker.ha);
	}

	public static BindingCredentials credentials(TestBroker broker, String consulAppToken,
			CredentialsProperties properties) {
		return credentials(broker, consulAppToken, properties, new InstanceCertificates(InstanceTlsProperties.OFF));
	}

	public static BindingCredentials credentials(TestBroker broker, String consulAppToken,
			CredentialsProperties properties, InstanceCertificates certificates) {
		return new BindingCredentials(broker.secrets, TestBroker.OBJECT_MAPPER, broker.discovery(consulAppToken),
				properties, TestCatalog.parameters(), certificates);
	}

}
