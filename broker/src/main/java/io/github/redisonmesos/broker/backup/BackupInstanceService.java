package io.github.redisonmesos.broker.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.redisonmesos.broker.backup.BackupRecord.BackupState;
import io.github.redisonmesos.broker.backup.BackupStoreProvider.NoBackupStoreException;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.InstanceResponse;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.osb.UnprocessableException;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerAsyncRequiredException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Service;

/**
 * The OSB face of backups, in front of the Redis instance operations: an update with
 * {@code {"backup": "now"}} starts a backup and changes nothing else (its
 * {@code last_operation}, operation {@code backup:<id>}, reports the backup); the
 * instance's {@code GET} lists its backups under {@code backups}. Every other request
 * goes to the Redis instance service unchanged.
 */
@Service
@Primary
class BackupInstanceService implements ServiceInstanceService {

	private static final Logger logger = LoggerFactory.getLogger(BackupInstanceService.class);

	static final String BACKUP = "backup";

	static final String OPERATION_PREFIX = "backup:";

	private final ServiceInstanceService instancesService;

	private final InstanceRecords instances;

	private final BackupRecords records;

	private final BackupRunner runner;

	private final BackupStoreProvider store;

	private final RestoreChecks restoreChecks;

	BackupInstanceService(@Qualifier("redisServiceInstanceService") ServiceInstanceService instancesService,
			InstanceRecords instances, BackupRecords records, BackupRunner runner, BackupStoreProvider store,
			RestoreChecks restoreChecks) {
		this.instancesService = instancesService;
		this.instances = instances;
		this.records = records;
		this.runner = runner;
		this.store = store;
		this.restoreChecks = restoreChecks;
	}

	@Override
	public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
		Map<String, Object> parameters = request.getParameters();
		if (parameters == null || !parameters.containsKey(RestoreChecks.RESTORE_FROM)) {
			return this.instancesService.createServiceInstance(request);
		}
		return Mono.fromCallable(() -> restore(request)).flatMap(this.instancesService::createServiceInstance);
	}

	// every check passed: the provision goes on with the backup named exactly ("latest"
	// resolved now), and the instance's first start fills its volume from it
	// (instance.operations.RestoreFill)
	@SuppressWarnings("deprecation")
	private CreateServiceInstanceRequest restore(CreateServiceInstanceRequest request) {
		BackupRecord backup = this.restoreChecks.check(request.getParameters().get(RestoreChecks.RESTORE_FROM),
				request.getSpaceGuid(), request.getPlanId());
		logger.info("operation=restore instance_id={} source_instance_id={} backup_id={}",
				request.getServiceInstanceId(), backup.instanceId(), backup.backupId());
		request.getParameters()
			.put(RestoreChecks.RESTORE_FROM, Map.of("instance", backup.instanceId(), "backup", backup.backupId()));
		return request;
	}

	@Override
	public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
		return this.instancesService.deleteServiceInstance(request);
	}

	@Override
	public Mono<UpdateServiceInstanceResponse> updateServiceInstance(UpdateServiceInstanceRequest request) {
		Map<String, Object> parameters = request.getParameters();
		if (parameters == null || !parameters.containsKey(BACKUP)) {
			return this.instancesService.updateServiceInstance(request);
		}
		return Mono.fromCallable(() -> backupNow(request));
	}

	private UpdateServiceInstanceResponse backupNow(UpdateServiceInstanceRequest request) {
		String instanceId = request.getServiceInstanceId();
		if (!"now".equals(request.getParameters().get(BACKUP))) {
			throw new BadRequestException("Parameter backup takes one value, \"now\": {\"backup\": \"now\"}.");
		}
		InstanceRecord instance = this.instances.find(instanceId)
			.map(Versioned::value)
			.filter((record) -> !record.removed())
			.orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
		boolean planChange = request.getPlanId() != null && !request.getPlanId().equals(instance.planId());
		if (request.getParameters().size() > 1 || planChange) {
			throw new BadRequestException("A backup changes nothing else: send {\"backup\": \"now\"} alone, "
					+ "and other changes (plan, settings) in an update of their own.");
		}
		if (!request.isAsyncAccepted()) {
			throw new ServiceBrokerAsyncRequiredException(
					"A backup runs asynchronously; send the request with accepts_incomplete=true.");
		}
		if (!instance.ready() || instance.operation().inProgress()) {
			throw new ServiceBrokerConcurrencyException("Instance " + instanceId
					+ " is not ready for a backup (an operation is in progress or its provision failed); "
					+ "ask again once it is.");
		}
		BackupRecord backup;
		try {
			backup = this.runner.start(instance);
		}
		catch (NoBackupStoreException ex) {
			throw new UnprocessableException(ex.getMessage());
		}
		logger.info("operation=backup instance_id={} backup_id={}", instanceId, backup.backupId());
		return UpdateServiceInstanceResponse.builder()
			.async(true)
			.operation(OPERATION_PREFIX + backup.backupId())
			.build();
	}

	@Override
	public Mono<GetLastServiceOperationResponse> getLastOperation(GetLastServiceOperationRequest request) {
		String operation = request.getOperation();
		if (operation == null || !operation.startsWith(OPERATION_PREFIX)) {
			return this.instancesService.getLastOperation(request);
		}
		return Mono.fromCallable(
				() -> backupOperation(request.getServiceInstanceId(), operation.substring(OPERATION_PREFIX.length())));
	}

	private GetLastServiceOperationResponse backupOperation(String instanceId, String backupId) {
		if (!BackupIds.valid(backupId)) {
			throw new BadRequestException(
					"Operation backup:" + backupId + " names no backup id (like " + "20261207T012233Z-a1b2c3).");
		}
		BackupRecord backup = this.records.find(instanceId, backupId)
			.map(Versioned::value)
			.orElseThrow(() -> new BadRequestException(
					"Instance " + instanceId + " has no backup " + backupId + " (deleted by the retention?)."));
		return GetLastServiceOperationResponse.builder().operationState(switch (backup.state()) {
			case RUNNING -> OperationState.IN_PROGRESS;
			case COMPLETE -> OperationState.SUCCEEDED;
			case FAILED -> OperationState.FAILED;
		}).description(describe(backup)).build();
	}

	static String describe(BackupRecord backup) {
		return switch (backup.state()) {
			case RUNNING -> "backup " + backup.backupId() + " running";
			case COMPLETE ->
				"backup " + backup.backupId() + " complete: " + backup.size() + " bytes, sha256 " + backup.sha256();
			case FAILED -> "backup " + backup.backupId() + " failed: " + backup.description();
		};
	}

	@Override
	public Mono<GetServiceInstanceResponse> getServiceInstance(GetServiceInstanceRequest request) {
		return this.instancesService.getServiceInstance(request).map((response) -> {
			Map<String, Object> parameters = new LinkedHashMap<>(
					(response.getParameters() != null) ? response.getParameters() : Map.of());
			parameters.put("backups", list(request.getServiceInstanceId()));
			if (response instanceof InstanceResponse instance) {
				return instance.withParameters(parameters);
			}
			return GetServiceInstanceResponse.builder()
				.serviceDefinitionId(response.getServiceDefinitionId())
				.planId(response.getPlanId())
				.dashboardUrl(response.getDashboardUrl())
				.parameters(parameters)
				.build();
		});
	}

	private List<Map<String, Object>> list(String instanceId) {
		List<Map<String, Object>> backups = new ArrayList<>();
		if (!this.store.configured()) {
			return backups;
		}
		for (Versioned<BackupRecord> versioned : this.records.list(instanceId)) {
			BackupRecord backup = versioned.value();
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("id", backup.backupId());
			entry.put("taken_at", backup.takenAt().toString());
			entry.put("size", backup.size());
			entry.put("sha256", backup.sha256());
			entry.put("state", backup.state().name().toLowerCase(Locale.ROOT));
			if (backup.state() == BackupState.FAILED) {
				entry.put("description", backup.description());
			}
			backups.add(entry);
		}
		return backups;
	}

}
