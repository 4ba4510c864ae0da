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

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceExistsException;
import org.springframework.cloud.servicebroker.model.CloudFoundryContext;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.stereotype.Component;

/**
 * Provisioning. The instance record is written to Consul KV with {@code cas=0} before
 * Marathon is called, so of two concurrent provisions for one id exactly one creates the
 * app; the others answer from the record the winner wrote.
 */
@Component
class InstanceProvisioning {

	private static final Logger logger = LoggerFactory.getLogger(InstanceProvisioning.class);

	private final InstanceRepository instances;

	private final MarathonClient marathon;

	private final RedisAppDefinitions definitions;

	private final RedisCatalog catalog;

	private final PasswordGenerator passwords;

	private final Clock clock;

	InstanceProvisioning(InstanceRepository instances, MarathonClient marathon, RedisAppDefinitions definitions,
			RedisCatalog catalog, PasswordGenerator passwords, Clock clock) {
		this.instances = instances;
		this.marathon = marathon;
		this.definitions = definitions;
		this.catalog = catalog;
		this.passwords = passwords;
		this.clock = clock;
	}

	CreateServiceInstanceResponse provision(CreateServiceInstanceRequest request) {
		String instanceId = InstanceIds.require(request.getServiceInstanceId());
		PlanProperties plan = this.catalog.requirePlan(request.getPlanId());
		logger.info("operation=provision instance_id={} plan_id={} {}", instanceId, plan.id(),
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		InstanceRecord wanted = new InstanceRecord(instanceId, request.getServiceDefinitionId(), plan.id(),
				organizationGuid(request), spaceGuid(request), request.getParameters(), plan.volumeGb(),
				this.passwords.generate(),
				Operation.start(Operation.Type.PROVISION, this.clock.instant(), "creating the Redis app"));
		if (!this.instances.create(wanted)) {
			return provisionAgain(wanted);
		}
		createApp(wanted, plan);
		return accepted(Operation.Type.PROVISION);
	}

	private CreateServiceInstanceResponse provisionAgain(InstanceRecord wanted) {
		Versioned<InstanceRecord> current = this.instances.find(wanted.instanceId())
			.orElseThrow(() -> new ServiceBrokerConcurrencyException(
					"Instance " + wanted.instanceId() + " was removed while this request ran; send it again."));
		InstanceRecord existing = current.value();
		if (!existing.sameAttributes(wanted)) {
			throw new ServiceInstanceExistsException(wanted.instanceId(), wanted.serviceId());
		}
		Operation operation = existing.operation();
		if (operation.type() == Operation.Type.DEPROVISION) {
			throw new ServiceBrokerConcurrencyException(
					"Instance " + wanted.instanceId() + " is being deleted; wait for the deletion to finish.");
		}
		if (operation.type() == Operation.Type.PROVISION && operation.state() == Operation.State.FAILED) {
			// a retry after a failure starts over with the same password and volume
			InstanceRecord retry = existing.withOperation(
					Operation.start(Operation.Type.PROVISION, this.clock.instant(), "creating the Redis app again"));
			this.instances.replaceOrConflict(current, retry);
			logger.info("operation=provision_retry instance_id={}", wanted.instanceId());
			createApp(retry, this.catalog.requirePlan(retry.planId()));
			return accepted(Operation.Type.PROVISION);
		}
		if (operation.inProgress(Operation.Type.PROVISION)) {
			return accepted(Operation.Type.PROVISION);
		}
		return CreateServiceInstanceResponse.builder().instanceExisted(true).async(false).build();
	}

	private void createApp(InstanceRecord record, PlanProperties plan) {
		try {
			this.marathon.createApp(this.definitions.render(record.redisApp(plan)));
		}
		catch (ServiceBrokerException ex) {
			// leave a record that says what went wrong; a retry or a delete cleans up
			this.instances.find(record.instanceId())
				.ifPresent((current) -> this.instances.replace(current, record
					.withOperation(record.operation().to(Operation.State.FAILED, ex.getErrorMessage().getMessage()))));
			throw ex;
		}
	}

	// CF sends the org and space in the context object; the top-level fields are
	// deprecated
	private static String organizationGuid(CreateServiceInstanceRequest request) {
		return (request.getContext() instanceof CloudFoundryContext cf) ? cf.getOrganizationGuid() : null;
	}

	private static String spaceGuid(CreateServiceInstanceRequest request) {
		return (request.getContext() instanceof CloudFoundryContext cf) ? cf.getSpaceGuid() : null;
	}

	private static CreateServiceInstanceResponse accepted(Operation.Type type) {
		return CreateServiceInstanceResponse.builder().async(true).operation(type.token()).build();
	}

}
