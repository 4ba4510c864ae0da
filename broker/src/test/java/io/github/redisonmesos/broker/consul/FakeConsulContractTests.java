package io.github.redisonmesos.broker.consul;

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

}
