package io.github.redisonmesos.broker.instance;

import java.time.Clock;

import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.consul.Versioned;
import io.github.redisonmesos.broker.marathon.MarathonClient;
import io.github.redisonmesos.broker.marathon.RedisAppDefinitions;
import io.github.redisonmesos.broker.web.OriginatingIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

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
import org.springframework.stereotype.Service;

/**
 * Redis instances as Marathon apps: the OSB operations, with provisioning in
 * {@link InstanceProvisioning} and progress in {@link InstanceProgress}.
 */
@Service
class RedisServiceInstanceService implements ServiceInstanceService {

	private static final Logger logger = LoggerFactory.getLogger(RedisServiceInstanceService.class);

	private static final String ASYNC_REQUIRED = "Redis instances are created, changed and removed asynchronously; "
			+ "send the request with accepts_incomplete=true.";

	private final InstanceRepository instances;

	private final InstanceProgress progress;

	private final MarathonClient marathon;

	private final RedisAppDefinitions definitions;

	private final RedisCatalog catalog;

	private final InstanceProvisioning provisioning;

	private final Clock clock;

	RedisServiceInstanceService(InstanceRepository instances, InstanceProgress progress, MarathonClient marathon,
			RedisAppDefinitions definitions, RedisCatalog catalog, InstanceProvisioning provisioning, Clock clock) {
		this.instances = instances;
		this.progress = progress;
		this.marathon = marathon;
		this.definitions = definitions;
		this.catalog = catalog;
		this.provisioning = provisioning;
		this.clock = clock;
	}

	@Override
	public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
		return Mono.fromCallable(() -> {
			requireAsync(request.isAsyncAccepted());
			return this.provisioning.provision(request);
		});
	}

	@Override
	public Mono<GetLastServiceOperationResponse> getLastOperation(GetLastServiceOperationRequest request) {
		return Mono.fromCallable(() -> lastOperation(request));
	}

	private GetLastServiceOperationResponse lastOperation(GetLastServiceOperationRequest request) {
		String instanceId = request.getServiceInstanceId();
		Versioned<InstanceRecord> current = this.instances.find(instanceId).orElse(null);
		if (current == null) {
			if (Operation.Type.DEPROVISION.token().equals(request.getOperation())) {
				return GetLastServiceOperationResponse.builder()
					.operationState(OperationState.SUCCEEDED)
					.description("Redis app removed")
					.deleteOperation(true)
					.build();
			}
			throw new ServiceInstanceDoesNotExistException(instanceId);
		}
		InstanceRecord record = current.value();
		Operation operation = record.operation();
		if (operation.state() == Operation.State.IN_PROGRESS) {
			operation = this.progress.check(record);
			if (operation.type() == Operation.Type.DEPROVISION && operation.state() == Operation.State.SUCCEEDED) {
				this.instances.delete(instanceId);
				logger.info("operation=deprovision state=succeeded instance_id={}", instanceId);
			}
			else if (operation.state() != Operation.State.IN_PROGRESS) {
				// losing this write to another broker is fine: the next poll recomputes
				this.instances.replace(current, record.withOperation(operation));
				logger.info("operation={} state={} instance_id={}", operation.type().token(), operation.state(),
						instanceId);
			}
		}
		return GetLastServiceOperationResponse.builder()
			.operationState(state(operation.state()))
			.description(operation.description())
			.deleteOperation(operation.type() == Operation.Type.DEPROVISION)
			.build();
	}

	@Override
	public Mono<GetServiceInstanceResponse> getServiceInstance(GetServiceInstanceRequest request) {
		return Mono.fromCallable(() -> {
			InstanceRecord record = this.instances.find(request.getServiceInstanceId())
				.map(Versioned::value)
				.filter(InstanceRecord::provisioned)
				.orElseThrow(() -> new ServiceInstanceDoesNotExistException(request.getServiceInstanceId()));
			if (record.operation().inProgress(Operation.Type.UPDATE)) {
				throw new ServiceBrokerConcurrencyException(
						"Instance " + record.instanceId() + " is being updated; read it once the update has finished.");
			}
			return GetServiceInstanceResponse.builder()
				.serviceDefinitionId(record.serviceId())
				.planId(record.planId())
				.parameters(record.parameters())
				.build();
		});
	}

	@Override
	public Mono<UpdateServiceInstanceResponse> updateServiceInstance(UpdateServiceInstanceRequest request) {
		return Mono.fromCallable(() -> update(request));
	}

	private UpdateServiceInstanceResponse update(UpdateServiceInstanceRequest request) {
		requireAsync(request.isAsyncAccepted());
		String instanceId = request.getServiceInstanceId();
		Versioned<InstanceRecord> current = this.instances.find(instanceId)
			.orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
		InstanceRecord record = current.value();
		String planId = (request.getPlanId() != null) ? request.getPlanId() : record.planId();
		// the record takes the new plan when the change starts: a change that then failed
		// is sent to Marathon again when the platform retries it
		boolean failedChange = record.operation().type() == Operation.Type.UPDATE
				&& record.operation().state() == Operation.State.FAILED;
		if (planId.equals(record.planId()) && !failedChange) {
			// nothing to change, or a re-sent request for an update still running
			boolean running = record.operation().inProgress(Operation.Type.UPDATE);
			return UpdateServiceInstanceResponse.builder()
				.async(running)
				.operation(running ? Operation.Type.UPDATE.token() : null)
				.build();
		}
		PlanProperties plan = this.catalog.requirePlan(planId);
		if (record.operation().state() == Operation.State.IN_PROGRESS) {
			throw new ServiceBrokerConcurrencyException("Instance " + instanceId + " has a "
					+ record.operation().type().token() + " in progress; change the plan once it has finished.");
		}
		logger.info("operation=update instance_id={} plan_id={} previous_plan_id={} {}", instanceId, planId,
				record.planId(), OriginatingIdentity.describe(request.getOriginatingIdentity()));
		InstanceRecord updated = record.withPlan(planId)
			.withOperation(Operation.start(Operation.Type.UPDATE, this.clock.instant(), "changing the plan"));
		this.marathon.updateApp(this.definitions.appId(instanceId), this.definitions.render(updated.redisApp(plan)));
		this.instances.replaceOrConflict(current, updated);
		return UpdateServiceInstanceResponse.builder().async(true).operation(Operation.Type.UPDATE.token()).build();
	}

	@Override
	public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
		return Mono.fromCallable(() -> deprovision(request));
	}

	private DeleteServiceInstanceResponse deprovision(DeleteServiceInstanceRequest request) {
		requireAsync(request.isAsyncAccepted());
		String instanceId = request.getServiceInstanceId();
		Versioned<InstanceRecord> current = this.instances.find(instanceId)
			.orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
		logger.info("operation=deprovision instance_id={} {}", instanceId,
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		if (!current.value().operation().inProgress(Operation.Type.DEPROVISION)) {
			// Marathon first: if it fails, the record still says what exists
			this.marathon.deleteApp(this.definitions.appId(instanceId));
			InstanceRecord deleting = current.value()
				.withOperation(
						Operation.start(Operation.Type.DEPROVISION, this.clock.instant(), "removing the Redis app"));
			this.instances.replaceOrConflict(current, deleting);
		}
		return DeleteServiceInstanceResponse.builder()
			.async(true)
			.operation(Operation.Type.DEPROVISION.token())
			.build();
	}

	private static void requireAsync(boolean asyncAccepted) {
		if (!asyncAccepted) {
			throw new ServiceBrokerAsyncRequiredException(ASYNC_REQUIRED);
		}
	}

	private static OperationState state(Operation.State state) {
		return switch (state) {
			case IN_PROGRESS -> OperationState.IN_PROGRESS;
			case SUCCEEDED -> OperationState.SUCCEEDED;
			case FAILED -> OperationState.FAILED;
		};
	}

}
