package io.github.redisonmesos.broker.instance.operations;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.redisonmesos.broker.catalog.InstanceParameters;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.InstanceResponse;
import io.github.redisonmesos.broker.instance.OperationProgress;
import io.github.redisonmesos.broker.instance.ports.RedisPorts;
import io.github.redisonmesos.broker.instance.volumes.VolumeReclamation;
import io.github.redisonmesos.broker.maintenance.MaintenanceRequests;
import io.github.redisonmesos.broker.osb.OriginatingIdentity;
import io.github.redisonmesos.broker.osb.ResourceNotFoundException;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerAsyncRequiredException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidParametersException;
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
 * Redis instances as Marathon apps: the OSB operations. Each one writes the instance
 * record first (check-and-set on the version read), then starts the side effect;
 * {@link OperationDriver} finishes it from the record on every poll.
 */
@Service
class RedisServiceInstanceService implements ServiceInstanceService {

	private static final Logger logger = LoggerFactory.getLogger(RedisServiceInstanceService.class);

	private static final String ASYNC_REQUIRED = "Redis instances are created, changed and removed asynchronously; "
			+ "send the request with accepts_incomplete=true.";

	private static final String REMOVED = "Redis app removed";

	private final InstanceRecords instances;

	private final OperationDriver driver;

	private final RedisCatalog catalog;

	private final InstanceParameters parameters;

	private final DownsizeGuard downsizeGuard;

	private final InstanceProvisioning provisioning;

	private final OperationMetrics metrics;

	private final RedisPorts ports;

	private final VolumeReclamation volumes;

	private final MaintenanceRequests maintenance;

	private final Clock clock;

	RedisServiceInstanceService(InstanceRecords instances, OperationDriver driver, RedisCatalog catalog,
			InstanceParameters parameters, DownsizeGuard downsizeGuard, InstanceProvisioning provisioning,
			OperationMetrics metrics, RedisPorts ports, VolumeReclamation volumes, MaintenanceRequests maintenance,
			Clock clock) {
		this.instances = instances;
		this.driver = driver;
		this.catalog = catalog;
		this.parameters = parameters;
		this.downsizeGuard = downsizeGuard;
		this.provisioning = provisioning;
		this.metrics = metrics;
		this.ports = ports;
		this.volumes = volumes;
		this.maintenance = maintenance;
		this.clock = clock;
	}

	@Override
	public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
		return Mono.fromCallable(() -> {
			requireAsync(request.isAsyncAccepted());
			// an unknown plan is the provision's to refuse (400)
			this.catalog.plan(request.getPlanId())
				.ifPresent((plan) -> this.maintenance.checkProvision(request.getMaintenanceInfo(), plan.name()));
			return this.provisioning.provision(request);
		});
	}

	@Override
	public Mono<GetLastServiceOperationResponse> getLastOperation(GetLastServiceOperationRequest request) {
		return Mono.fromCallable(() -> lastOperation(request));
	}

	private GetLastServiceOperationResponse lastOperation(GetLastServiceOperationRequest request) {
		String instanceId = request.getServiceInstanceId();
		boolean pollingDeprovision = Operation.Type.DEPROVISION.token().equals(request.getOperation());
		Versioned<InstanceRecord> current = this.instances.find(instanceId).orElse(null);
		if (current == null) {
			if (pollingDeprovision) {
				// forgotten since: the framework answers a finished delete with 410 Gone
				return finished(OperationState.SUCCEEDED, REMOVED, true);
			}
			throw new ResourceNotFoundException("Service instance " + instanceId + " does not exist.");
		}
		InstanceRecord record = current.value();
		if (record.removed()) {
			// both answers are legal; a platform that polls once more than needed with
			// the deprovision's token sees success rather than an error
			return finished(OperationState.SUCCEEDED, REMOVED, !pollingDeprovision);
		}
		Operation operation = record.operation();
		if (operation.inProgress()) {
			operation = Upgrades.described(record, this.driver.advance(record),
					this.catalog.maintenanceVersion(record.planId()));
			if (!operation.inProgress()) {
				record = finish(current, operation);
			}
		}
		if (record.removed()) {
			return finished(OperationState.SUCCEEDED, REMOVED, !pollingDeprovision);
		}
		return finished(state(operation.state()), operation.description(), false);
	}

	// losing this write to another broker is fine: it wrote the same outcome, or a
	// newer operation the next poll reports
	private InstanceRecord finish(Versioned<InstanceRecord> current, Operation operation) {
		String instanceId = current.value().instanceId();
		InstanceRecord finished = (operation.type() == Operation.Type.DEPROVISION
				&& operation.state() == Operation.State.SUCCEEDED)
						? this.volumes.leave(current.value().removed(operation, this.clock.instant()))
						: Upgrades.finished(current.value().withOperation(operation),
								this.catalog.maintenanceVersion(current.value().planId()));
		boolean won = (finished.removed()) ? this.instances.bury(current, finished)
				: this.instances.replace(current, finished);
		if (won && finished.removed()) {
			// a crash before this leaves a claim without a live record, which the
			// reconciliation gives back
			this.ports.release(finished.ports(), instanceId);
			this.volumes.buried(finished);
		}
		if (won) {
			this.metrics.finished(operation);
			logger.info("operation={} state={} instance_id={}", operation.type().token(),
					operation.state().name().toLowerCase(Locale.ROOT), instanceId);
		}
		return finished;
	}

	private static GetLastServiceOperationResponse finished(OperationState state, String description,
			boolean deleteOperation) {
		return GetLastServiceOperationResponse.builder()
			.operationState(state)
			.description(description)
			.deleteOperation(deleteOperation)
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
			return new InstanceResponse(record.serviceId(), record.planId(),
					this.parameters.effective(record.parameters()), this.maintenance.info(record.maintenanceVersion()));
		});
	}

	@Override
	public Mono<UpdateServiceInstanceResponse> updateServiceInstance(UpdateServiceInstanceRequest request) {
		return Mono.fromCallable(() -> update(request));
	}

	private UpdateServiceInstanceResponse update(UpdateServiceInstanceRequest request) {
		requireAsync(request.isAsyncAccepted());
		String instanceId = request.getServiceInstanceId();
		// a bad setting changes nothing: checked before the record is read
		this.parameters.validate(request.getParameters());
		Versioned<InstanceRecord> current = existing(instanceId);
		InstanceRecord record = current.value();
		String planId = (request.getPlanId() != null) ? request.getPlanId() : record.planId();
		// an update changes the settings it names and keeps the others
		Map<String, Object> parameters = new LinkedHashMap<>(record.parameters());
		if (request.getParameters() != null) {
			parameters.putAll(request.getParameters());
		}
		boolean planChange = !planId.equals(record.planId());
		boolean settingsChange = !this.parameters.effective(parameters)
			.equals(this.parameters.effective(record.parameters()));
		// the record takes the new plan and settings when the change starts: a change
		// that then failed is sent to Marathon again when the platform retries it
		boolean failedChange = record.operation().failed(Operation.Type.UPDATE);
		// a version other than the plan's is refused whatever else the request asks
		boolean upgrade = this.maintenance.upgrades(request.getMaintenanceInfo(), record.maintenanceVersion(),
				this.catalog.plan(planId).map(PlanProperties::name).orElse(planId), instanceId);
		// an update that runs deploys the current templates already: an upgrade asked
		// meanwhile is that update re-sent
		boolean upgradeRunning = upgrade && record.operation().inProgress(Operation.Type.UPDATE);
		if (!planChange && !settingsChange && !failedChange && (!upgrade || upgradeRunning)) {
			// nothing to change, or a re-sent request for an update still running
			boolean running = record.operation().inProgress(Operation.Type.UPDATE);
			return UpdateServiceInstanceResponse.builder()
				.async(running)
				.operation(running ? Operation.Type.UPDATE.token() : null)
				.build();
		}
		PlanProperties plan = this.catalog.requirePlan(planId);
		this.parameters.requireTlsOffered(parameters, plan.ha() != null, this.ports.fixed());
		this.parameters.requireTlsChangeOnOwnPortsOnHa(record.parameters(), parameters, plan.ha() != null,
				!record.ports().isEmpty());
		if ((plan.ha() != null) != (record.topology() instanceof InstanceRecord.Ha)) {
			// a single Redis and an HA instance are other apps on other volumes: moving
			// the data between them is the app's to do, not a plan change
			throw new ServiceBrokerInvalidParametersException("Plan " + plan.name() + " "
					+ ((plan.ha() != null) ? "is an HA plan and instance " + instanceId + " a single Redis"
							: "is a single Redis and instance " + instanceId + " an HA instance")
					+ ": the plan cannot change between them. Create a new instance of plan " + plan.name()
					+ ", copy the data (for example with redis-cli --rdb from this one and a restore, or from the app), "
					+ "bind the apps to it, then delete this instance.");
		}
		if (record.operation().inProgress()) {
			throw new ServiceBrokerConcurrencyException("Instance " + instanceId + " has a "
					+ record.operation().type().token() + " in progress; change the plan once it has finished.");
		}
		if (!record.provisioned()) {
			throw new ServiceBrokerConcurrencyException("Instance " + instanceId
					+ " was never provisioned (its provision failed); create it again or delete it.");
		}
		if (planChange) {
			this.downsizeGuard.check(record, this.catalog.plan(record.planId()), plan);
		}
		String version = this.catalog.maintenanceVersion(planId);
		logger.info(
				"operation=update instance_id={} plan_id={} previous_plan_id={} settings_changed={} "
						+ "maintenance_version={} previous_maintenance_version={} {}",
				instanceId, planId, record.planId(), settingsChange, version, record.maintenanceVersion(),
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		InstanceRecord updated = withTlsPortIfOptional(record, parameters).withPlan(planId)
			.withParameters(parameters)
			.withOperation(Operation.start(Operation.Type.UPDATE, this.clock.instant(),
					Upgrades.describe(record, version, description(record, parameters))));
		this.instances.replaceOrConflict(current, updated);
		this.driver.begin(updated);
		return UpdateServiceInstanceResponse.builder().async(true).operation(Operation.Type.UPDATE.token()).build();
	}

	// an HA instance whose tls changes restarts every node at once (HaRollingUpdate); so
	// does the retry of such a change that failed, whose record has the new mode already
	private String description(InstanceRecord record, Map<String, Object> parameters) {
		TlsMode before = this.parameters.tls(record.parameters());
		TlsMode after = this.parameters.tls(parameters);
		if (!(record.topology() instanceof InstanceRecord.Ha)) {
			return OperationProgress.RESTARTING;
		}
		if (before != after) {
			return OperationProgress.tlsChange(after.parameter(), "from " + before.parameter());
		}
		if (record.operation().failed(Operation.Type.UPDATE)
				&& OperationProgress.restartsTogether(record.operation())) {
			return OperationProgress.tlsChange(after.parameter(), "again after the change failed");
		}
		return OperationProgress.RESTARTING;
	}

	// the first change to tls: optional claims the TLS listener's port; the instance
	// keeps
	// it (a later optional uses it again) until it is deprovisioned
	private InstanceRecord withTlsPortIfOptional(InstanceRecord record, Map<String, Object> parameters) {
		if (record.tlsPort() != 0 || !(record.topology() instanceof InstanceRecord.Single)
				|| this.parameters.tls(parameters) != TlsMode.OPTIONAL) {
			return record;
		}
		if (record.port() == 0) {
			// without a host port of its own, Marathon would give the TLS listener any
			// port
			// at each start, and the binding's tls_port would not hold
			throw new ServiceBrokerInvalidParametersException("Invalid parameters: the parameter 'tls' is optional, "
					+ "but instance " + record.instanceId() + " takes any port the platform gives (it was "
					+ "provisioned before BROKER_MARATHON_REDIS_PORTS was set), and a TLS port beside it needs "
					+ "ports of its own; ask for \"tls\": \"required\" or \"disabled\". Nothing was changed.");
		}
		return record.withTlsPort(this.ports.claim(record.instanceId()));
	}

	@Override
	public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
		return Mono.fromCallable(() -> deprovision(request));
	}

	private DeleteServiceInstanceResponse deprovision(DeleteServiceInstanceRequest request) {
		requireAsync(request.isAsyncAccepted());
		String instanceId = request.getServiceInstanceId();
		Versioned<InstanceRecord> current = existing(instanceId);
		Operation operation = current.value().operation();
		logger.info("operation=deprovision instance_id={} {}", instanceId,
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		if (operation.inProgress(Operation.Type.UPDATE)) {
			// an update's Marathon call could otherwise recreate the app being removed
			throw new ServiceBrokerConcurrencyException("Instance " + instanceId
					+ " is being updated; delete it once the update has finished (or failed).");
		}
		if (!operation.inProgress(Operation.Type.DEPROVISION)) {
			InstanceRecord deleting = current.value()
				.withOperation(
						Operation.start(Operation.Type.DEPROVISION, this.clock.instant(), "removing the Redis app"));
			this.instances.replaceOrConflict(current, deleting);
			this.driver.begin(deleting);
		}
		return DeleteServiceInstanceResponse.builder()
			.async(true)
			.operation(Operation.Type.DEPROVISION.token())
			.build();
	}

	private Versioned<InstanceRecord> existing(String instanceId) {
		return this.instances.find(instanceId)
			.filter((current) -> !current.value().removed())
			.orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
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
