package io.github.redisonmesos.broker.consul;

import java.util.List;

import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.support.FakeConsul;

/**
 * The service tests' in-process Consul holds to the adapter's contract.
 */
class FakeConsulContractTests extends ConsulClientContract {

	private final FakeConsul consul = new FakeConsul();

	@Override
	protected ConsulClient consul() {
		return this.consul;
	}

	@Override
	protected RedisEndpoint registerPassing(String service, String tag) {
		// the tags marathon-consul gives a task's port (local-platform/README.md)
		this.consul.addPassing(service, "127.0.0.1", 31001, List.of("marathon", tag, "marathon-task:contract.1"));
		return new RedisEndpoint("127.0.0.1", 31001);
	}

}
