package io.github.redisonmesos.broker.binding;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.osb.OriginatingIdentity;
import io.github.redisonmesos.broker.osb.ResourceNotFoundException;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.security.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingExistsException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetLastServiceBindingOperationRequest;
import org.springframework.cloud.servicebroker.model.binding.GetLastServiceBindingOperationResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import org.springframework.stereotype.Service;

/**
 * Synchronous bindings, each with its own Redis user: bind writes the binding record,
 * then creates the user (as the instance's admin, at the address Consul lists as
 * passing); unbind deletes the user, which closes its connections at once, then the
 * record. The credentials hold the Redis address as Consul lists it now, plus where the
 * app can ask Consul again after Redis moves; never the instance's admin password.
 */
@Service
class RedisServiceInstanceBindingService implements ServiceInstanceBindingService {

	private static final Logger logger = LoggerFactory.getLogger(RedisServiceInstanceBindingService.class);

	private final InstanceRecords instances;

	private final BindingRecords bindings;

	private final BindingUsers users;

	private final BindingCredentials credentials;

	private final RedisDiscovery discovery;

	private final RedisDeployer deployer;

	private final Passwords passwords;

	private final HaSecrets haSecrets;

	private final RedisHa ha;

	RedisServiceInstanceBindingService(InstanceRecords instances, BindingRecords bindings, BindingUsers users,
			BindingCredentials credentials, RedisDiscovery discovery, RedisDeployer deployer, Passwords passwords,
			HaSecrets haSecrets, RedisHa ha) {
		this.instances = instances;
		this.bindings = bindings;
		this.users = users;
		this.credentials = credentials;
		this.discovery = discovery;
		this.deployer = deployer;
		this.passwords = passwords;
		this.haSecrets = haSecrets;
		this.ha = ha;
	}

	@Override
	public Mono<CreateServiceInstanceBindingResponse> createServiceInstanceBinding(
			CreateServiceInstanceBindingRequest request) {
		return Mono.fromCallable(() -> bind(request));
	}

	private CreateServiceInstanceBindingResponse bind(CreateServiceInstanceBindingRequest request) {
		String instanceId = request.getServiceInstanceId();
		String bindingId = request.getBindingId();
		String appGuid = (request.getBindResource() != null) ? request.getBindResource().getAppGuid() : null;
		logger.info("operation=bind instance_id={} binding_id={} {}", instanceId, bindingId,
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		InstanceRecord instance = this.instances.find(instanceId)
			.map(Versioned::value)
			.filter((record) -> !record.removed())
			.orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
		Versioned<BindingRecord> existing = this.bindings.find(instanceId, bindingId).orElse(null);
		if (existing != null) {
			return again(existing, instance, appGuid, request.getParameters());
		}
		if (!instance.ready()) {
			throw new ServiceBrokerConcurrencyException(
					"Instance " + instanceId + " is not ready: " + advice(instance.operation()));
		}
		Reached reached = reach(instance, "bind");
		RedisEndpoint redis = reached.redis();
		String username = BindingRecord.username(bindingId);
		String password = this.passwords.generate();
		Map<String, Object> credentials = this.credentials.create(instance, reached.location(), redis, reached.nodes(),
				username, password);
		BindingRecord record = new BindingRecord(bindingId, instanceId, appGuid, request.getParameters(), username,
				this.credentials.seal(credentials, instanceId, bindingId), BindingRecord.State.CREATING);
		// the record first: a Redis user never exists that no record knows of
		if (!this.bindings.create(record)) {
			return this.bindings.find(instanceId, bindingId)
				.map((winner) -> again(winner, instance, appGuid, request.getParameters()))
				.orElseThrow(() -> changedMeanwhile(bindingId));
		}
		Versioned<BindingRecord> written = this.bindings.find(instanceId, bindingId)
			.filter((read) -> read.value().credentials().equals(record.credentials()))
			.orElseThrow(() -> changedMeanwhile(bindingId));
		this.users.create(written, instance, reached.place(), password);
		logger.info("operation=bind state=succeeded instance_id={} binding_id={} username={} redis={}", instanceId,
				bindingId, username, redis);
		return CreateServiceInstanceAppBindingResponse.builder().credentials(credentials).build();
	}

	// a repeated request, a concurrent one, or a retry after a crash
	private CreateServiceInstanceBindingResponse again(Versioned<BindingRecord> existing, InstanceRecord instance,
			String appGuid, Map<String, Object> parameters) {
		BindingRecord record = existing.value();
		if (!record.sameAttributes(appGuid, parameters)) {
			throw new ServiceInstanceBindingExistsException(record.instanceId(), record.bindingId());
		}
		Map<String, Object> credentials = this.credentials.open(record);
		if (record.state() == BindingRecord.State.CREATING) {
			// written, but its user not confirmed: create it (again) with the password
			// the record holds
			this.users.create(existing, instance, reach(instance, "bind").place(),
					BindingCredentials.password(credentials));
			return CreateServiceInstanceAppBindingResponse.builder().credentials(credentials).build();
		}
		return CreateServiceInstanceAppBindingResponse.builder().bindingExisted(true).credentials(credentials).build();
	}

	@Override
	public Mono<GetServiceInstanceBindingResponse> getServiceInstanceBinding(GetServiceInstanceBindingRequest request) {
		return Mono.fromCallable(() -> {
			BindingRecord binding = this.bindings.find(request.getServiceInstanceId(), request.getBindingId())
				.map(Versioned::value)
				.filter((record) -> record.state() == BindingRecord.State.CREATED)
				.orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(request.getBindingId()));
			return GetServiceInstanceAppBindingResponse.builder()
				.credentials(this.credentials.open(binding))
				.parameters(binding.parameters())
				.build();
		});
	}

	@Override
	public Mono<GetLastServiceBindingOperationResponse> getLastOperation(
			GetLastServiceBindingOperationRequest request) {
		return Mono.fromCallable(() -> {
			if (this.bindings.find(request.getServiceInstanceId(), request.getBindingId()).isEmpty()) {
				throw new ResourceNotFoundException("Binding " + request.getBindingId() + " of instance "
						+ request.getServiceInstanceId() + " does not exist.");
			}
			throw new BadRequestException("This broker creates and deletes bindings synchronously: there is no "
					+ "binding operation to poll.");
		});
	}

	@Override
	public Mono<DeleteServiceInstanceBindingResponse> deleteServiceInstanceBinding(
			DeleteServiceInstanceBindingRequest request) {
		return Mono.fromCallable(() -> unbind(request));
	}

	private DeleteServiceInstanceBindingResponse unbind(DeleteServiceInstanceBindingRequest request) {
		String instanceId = request.getServiceInstanceId();
		String bindingId = request.getBindingId();
		logger.info("operation=unbind instance_id={} binding_id={} {}", instanceId, bindingId,
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		Versioned<BindingRecord> binding = this.bindings.find(instanceId, bindingId)
			.orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(bindingId));
		InstanceRecord instance = this.instances.find(instanceId)
			.map(Versioned::value)
			.filter((record) -> !record.removed())
			.orElse(null);
		if (instance != null) {
			RedisLocation location = this.discovery.locate(instanceId);
			Optional<UserPlace> place = (instance.topology() instanceof InstanceRecord.Ha) ? haPlace(instance)
					: location.endpoint().map(UserPlace::of);
			if (place.isPresent()) {
				// the user first: its connections close now, and a crash before the
				// record is deleted leaves a record that the platform's retry removes
				this.users.delete(instance, place.get(), binding.value().username());
			}
			else if (this.deployer.status(instanceId, instance.nodes()).isPresent()) {
				throw new ServiceBrokerConcurrencyException("Redis of instance " + instanceId
						+ " is moving or down (Consul lists no passing instance of " + location.service()
						+ "), so the binding's Redis user cannot be deleted yet; retry the unbind in a minute.");
			}
			// else nothing runs that could know the user
		}
		if (!this.bindings.delete(binding) && this.bindings.find(instanceId, bindingId).isPresent()) {
			throw changedMeanwhile(bindingId);
		}
		logger.info("operation=unbind state=succeeded instance_id={} binding_id={} username={}", instanceId, bindingId,
				binding.value().username());
		return DeleteServiceInstanceBindingResponse.builder().async(false).build();
	}

	// where a binding's user is made: the one Redis Consul lists as passing, or every
	// node
	// of an HA instance, whose primary the credentials name
	private Reached reach(InstanceRecord instance, String what) {
		RedisLocation location = this.discovery.locate(instance.instanceId());
		if (instance.topology() instanceof InstanceRecord.Single) {
			RedisEndpoint redis = passing(location, what);
			return new Reached(UserPlace.of(redis), location, redis, List.of());
		}
		List<HaNode> nodes = this.discovery.locateHa(instance.instanceId());
		HaAccess access = this.haSecrets.access(instance, nodes);
		RedisEndpoint primary = (nodes.isEmpty() ? Optional.<RedisEndpoint>empty() : this.ha.state(access).primary())
			.orElseThrow(() -> new ServiceBrokerConcurrencyException("Redis is failing over: its Sentinels name no "
					+ "primary now; retry the " + what + " in a minute."));
		return new Reached(UserPlace.of(access), location, primary, nodes);
	}

	private Optional<UserPlace> haPlace(InstanceRecord instance) {
		List<HaNode> nodes = this.discovery.locateHa(instance.instanceId());
		return nodes.isEmpty() ? Optional.empty() : Optional.of(UserPlace.of(this.haSecrets.access(instance, nodes)));
	}

	/**
	 * Where a bind reached Redis.
	 *
	 * @param place where the user is made
	 * @param location the instance's service in Consul
	 * @param redis the address the credentials name (an HA instance's primary)
	 * @param nodes an HA instance's nodes, none for a single Redis
	 */
	private record Reached(UserPlace place, RedisLocation location, RedisEndpoint redis, List<HaNode> nodes) {

	}

	private RedisEndpoint passing(RedisLocation location, String what) {
		return location.endpoint()
			.orElseThrow(() -> new ServiceBrokerConcurrencyException("Redis is moving or down: Consul lists no "
					+ "passing instance of " + location.service() + "; retry the " + what + " in a minute."));
	}

	private static ServiceBrokerConcurrencyException changedMeanwhile(String bindingId) {
		return new ServiceBrokerConcurrencyException(
				"Binding " + bindingId + " changed while this request ran; send it again.");
	}

	// a failed operation never becomes ready by waiting: say what does
	private static String advice(Operation operation) {
		boolean failed = operation.state() == Operation.State.FAILED;
		if (operation.type() == Operation.Type.DEPROVISION) {
			return failed ? "its deletion failed (" + operation.description() + "); delete it again."
					: "it is being deleted.";
		}
		return failed ? "its provision failed (" + operation.description() + "); create it again or delete it."
				: "its provision is in progress; bind once the provision has succeeded.";
	}

}
