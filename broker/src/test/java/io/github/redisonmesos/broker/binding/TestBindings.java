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
		return new RedisServiceInstanceBindingService(broker.instances, new BindingRepository(broker.records),
				broker.discovery, broker.deployer, TestRedisAcl.create(), broker.adminPasswords, broker.catalog,
				broker.secrets, broker.passwords, TestBroker.OBJECT_MAPPER,
				TestBroker.consulProperties(consulAppToken));
	}

}
