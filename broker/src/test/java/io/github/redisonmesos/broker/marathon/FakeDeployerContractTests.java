package io.github.redisonmesos.broker.marathon;

import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.support.FakeDeployer;

/**
 * The service tests' in-process Marathon holds to the adapter's contract; a test makes
 * its deployments finish.
 */
class FakeDeployerContractTests extends RedisDeployerContract {

	private final FakeDeployer deployer = new FakeDeployer();

	@Override
	protected RedisDeployer deployer() {
		return this.deployer;
	}

	@Override
	protected void awaitRunning(String instanceId) {
		this.deployer.healthy(instanceId);
	}

}
