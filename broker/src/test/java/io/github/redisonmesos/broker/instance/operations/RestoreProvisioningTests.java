package io.github.redisonmesos.broker.instance.operations;

import java.util.HashMap;
import java.util.Map;

import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidParametersException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A provision with {@code restore_from} (as the backups' front passes it on once its
 * checks passed) through the instance operations, on the fake platform: the record keeps
 * the backup, the app that creates the instance carries the backup's seed, once Marathon
 * runs it the app is redeployed without it, and the provision succeeds only once Redis
 * has loaded the data with AOF on.
 */
class RestoreProvisioningTests {

	private static final String ID = "0d6c2b4e-3f5a-4e1b-8c7d-9e0f1a2b3c4d";

	private static final String SOURCE = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d";

	private static final String BACKUP = "20261207T012233Z-a1b2c3";

	private final TestBroker broker = new TestBroker();

	@Test
	void theCreatingAppCarriesTheSeedThenLosesItAndTheProvisionSucceedsOnceRedisHasLoadedWithAof() {
		this.broker.seeds.put(BACKUP, new RestoreSeed(BACKUP, "http://store/x.rdb?X-Amz-Signature=1", "a".repeat(64)));
		provision(Map.of("instance", SOURCE, "backup", BACKUP));
		assertThat(this.broker.record(ID).restore()).isEqualTo(new InstanceRecord.Restore(SOURCE, BACKUP));
		assertThat(this.broker.record(ID).parameters()).doesNotContainKey("restore_from");
		RedisDeployment created = this.broker.deployer.deployment(ID).orElseThrow();
		assertThat(created.seed()).isNotNull();
		assertThat(created.seed().backupId()).isEqualTo(BACKUP);

		assertThat(poll().getDescription()).isEqualTo("waiting for Marathon to start the Redis task");
		// Marathon runs it: redeployed without the fetch
		this.broker.deployer.healthy(ID);
		assertThat(poll().getDescription()).startsWith("restoring a backup: Redis ran with it");
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().seed()).isNull();

		this.broker.deployer.healthy(ID);
		this.broker.consul.passing(ServiceNames.of(ID), "10.0.0.7", 31000);
		this.broker.redisPersistence.info = "loading:1\r\naof_enabled:1\r\n";
		GetLastServiceOperationResponse loading = poll();
		assertThat(loading.getState()).isEqualTo(OperationState.IN_PROGRESS);
		assertThat(loading.getDescription()).isEqualTo("restoring backup " + BACKUP + ": Redis is loading it");

		this.broker.redisPersistence.info = "loading:0\r\naof_enabled:1\r\n";
		GetLastServiceOperationResponse done = poll();
		assertThat(done.getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(done.getDescription())
			.isEqualTo("Redis is running with backup " + BACKUP + " of instance " + SOURCE);
	}

	@Test
	void aRestoredRedisWithoutItsAppendOnlyFileFailsTheProvisionSayingWhy() {
		this.broker.seeds.put(BACKUP, new RestoreSeed(BACKUP, "http://store/x.rdb", "a".repeat(64)));
		provision(Map.of("instance", SOURCE, "backup", BACKUP));
		this.broker.deployer.healthy(ID);
		poll();
		this.broker.deployer.healthy(ID);
		this.broker.consul.passing(ServiceNames.of(ID), "10.0.0.7", 31000);
		this.broker.redisPersistence.info = "loading:0\r\naof_enabled:0\r\n";
		GetLastServiceOperationResponse failed = poll();
		assertThat(failed.getState()).isEqualTo(OperationState.FAILED);
		assertThat(failed.getDescription()).contains("--appendonly yes");
	}

	@Test
	void aBackupGoneSinceTheChecksFailsTheProvisionWithItsReason() {
		provision(Map.of("instance", SOURCE, "backup", BACKUP));
		assertThat(this.broker.operation(ID).state()).isEqualTo(Operation.State.FAILED);
		assertThat(this.broker.operation(ID).description()).contains("no backup " + BACKUP);
		assertThat(this.broker.deployer.deployment(ID)).isEmpty();
	}

	@Test
	void aRestoreFromThatIsNotInstanceAndBackupCreatesNothing() {
		assertThatExceptionOfType(ServiceBrokerInvalidParametersException.class).isThrownBy(() -> provision("latest"))
			.withMessageContaining("restore_from takes");
		assertThat(this.broker.instances.find(ID)).isEmpty();
		assertThat(this.broker.deployer.deployment(ID)).isEmpty();
	}

	private void provision(Object restoreFrom) {
		CreateServiceInstanceRequest request = TestBroker.provisionRequest(ID, TestBroker.SMALL, "org-1", "space-1",
				true);
		Map<String, Object> parameters = new HashMap<>();
		parameters.put("restore_from", restoreFrom);
		request.getParameters().putAll(parameters);
		try {
			this.broker.instanceService().createServiceInstance(request).block();
		}
		catch (RuntimeException ex) {
			if (ex instanceof ServiceBrokerInvalidParametersException) {
				throw ex;
			}
			// a refusal of the platform: the record says why
		}
	}

	private GetLastServiceOperationResponse poll() {
		return this.broker.lastOperation(ID, "provision");
	}

}
