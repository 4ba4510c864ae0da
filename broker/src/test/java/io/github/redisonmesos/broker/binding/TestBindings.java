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
		BindingRepository bindings = new BindingRepository(broker.records);
		return new RedisServiceInstanceBindingService(broker.instances, bindings,
				new BindingUsers(TestRedisAcl.create(), broker.adminPasswords, broker.catalog, bindings),
				new BindingCredentials(broker.secrets, TestBroker.OBJECT_MAPPER, broker.discovery,
						TestBroker.consulProperties(consulAppToken)),
				broker.discovery, broker.deployer, broker.passwords);
	}

}
