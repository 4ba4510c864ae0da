package io.github.redisonmesos.broker.binding;

import io.github.redisonmesos.broker.instance.TestBroker;
import io.github.redisonmesos.broker.redis.TestRedisAcl;

import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;

/**
 * Builds the binding service of a {@link TestBroker} outside a Spring context.
 */
public final class TestBindings {

	private TestBindings() {
	}

	public static ServiceInstanceBindingService service(TestBroker broker, String consulAppToken) {
		return new RedisServiceInstanceBindingService(broker.instances, broker.bindings,
				new BindingUsers(TestRedisAcl.create(), broker.adminPasswords, broker.catalog, broker.bindings),
				credentials(broker, consulAppToken), broker.discovery(consulAppToken), broker.deployer,
				broker.passwords);
	}

	public static BindingCredentials credentials(TestBroker broker, String consulAppToken) {
		return new BindingCredentials(broker.secrets, TestBroker.OBJECT_MAPPER, broker.discovery(consulAppToken));
	}

}
