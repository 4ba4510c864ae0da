package io.github.redisonmesos.broker.binding;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.consul.ConsulProperties;
import io.github.redisonmesos.broker.consul.Versioned;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRepository;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.redis.RedisAcl;
import io.github.redisonmesos.broker.redis.RedisUnavailableException;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.SecretBox;
import io.github.redisonmesos.broker.web.BadRequestException;
import io.github.redisonmesos.broker.web.OriginatingIdentity;
import io.github.redisonmesos.broker.web.ResourceNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
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

	private static final TypeReference<Map<String, Object>> CREDENTIALS = new TypeReference<>() {
	};

	private final InstanceRepository instances;

	private final BindingRepository bindings;

	private final RedisDiscovery discovery;

	private final RedisDeployer deployer;

	private final RedisAcl acl;

	private final AdminPasswords adminPasswords;

	private final RedisCatalog catalog;

	private final SecretBox secrets;

	private final Passwords passwords;

	private final ObjectMapper objectMapper;

	private final String consulAppUrl;

	private final String consulAppToken;

	RedisServiceInstanceBindingService(InstanceRepository instances, BindingRepository bindings,
			RedisDiscovery discovery, RedisDeployer deployer, RedisAcl acl, AdminPasswords adminPasswords,
			RedisCatalog catalog, SecretBox secrets, Passwords passwords, ObjectMapper objectMapper,
			ConsulProperties consulProperties) {
		this.instances = instances;
		this.bindings = bindings;
		this.discovery = discovery;
		this.deployer = deployer;
		this.acl = acl;
		this.adminPasswords = adminPasswords;
		this.catalog = catalog;
		this.secrets = secrets;
		this.passwords = passwords;
		this.objectMapper = objectMapper;
		this.consulAppUrl = consulProperties.appUrl().toString();
		// empty when CONSUL_APP_TOKEN is not set: then the credentials have no
		// consul_token
		this.consulAppToken = consulProperties.appToken();
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
		RedisLocation location = this.discovery.locate(instanceId);
		RedisEndpoint redis = passing(location, "bind");
		String username = BindingRecord.username(bindingId);
		String password = this.passwords.generate();
		Map<String, Object> credentials = credentials(location, redis, username, password);
		BindingRecord record = new BindingRecord(bindingId, instanceId, appGuid, request.getParameters(), username,
				this.secrets.seal(json(credentials), BindingRecord.credentialsContext(instanceId, bindingId)),
				BindingRecord.State.CREATING);
		// the record first: a Redis user never exists that no record knows of
		if (!this.bindings.create(record)) {
			return this.bindings.find(instanceId, bindingId)
				.map((winner) -> again(winner, instance, appGuid, request.getParameters()))
				.orElseThrow(() -> changedMeanwhile(bindingId));
		}
		Versioned<BindingRecord> written = this.bindings.find(instanceId, bindingId)
			.filter((read) -> read.value().credentials().equals(record.credentials()))
			.orElseThrow(() -> changedMeanwhile(bindingId));
		createUser(written, instance, redis, password);
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
		Map<String, Object> credentials = open(record);
		if (record.state() == BindingRecord.State.CREATING) {
			// written, but its user not confirmed: create it (again) with the password
			// the record holds
			RedisEndpoint redis = passing(this.discovery.locate(instance.instanceId()), "bind");
			createUser(existing, instance, redis, String.valueOf(credentials.get("password")));
			return CreateServiceInstanceAppBindingResponse.builder().credentials(credentials).build();
		}
		return CreateServiceInstanceAppBindingResponse.builder().bindingExisted(true).credentials(credentials).build();
	}

	private void createUser(Versioned<BindingRecord> written, InstanceRecord instance, RedisEndpoint redis,
			String password) {
		BindingRecord record = written.value();
		try {
			this.acl.putUser(redis, this.adminPasswords.open(instance), record.username(),
					Passwords.redisHash(password), rules(instance));
		}
		catch (RedisUnavailableException ex) {
			abandon(written, instance, redis, ex.mayHaveApplied());
			throw ex;
		}
		catch (ServiceBrokerException ex) {
			abandon(written, instance, redis, true);
			throw ex;
		}
		if (!this.bindings.replace(written, record.created())
				&& this.bindings.find(record.instanceId(), record.bindingId())
					.filter((now) -> now.value().state() == BindingRecord.State.CREATED)
					.isEmpty()) {
			throw changedMeanwhile(record.bindingId());
		}
	}

	// the bind failed: take back the record, and the user first if it may exist; when
	// Redis cannot confirm the user is gone, the record stays (invisible to GET) so that
	// the platform's unbind or a retried bind settles it
	private void abandon(Versioned<BindingRecord> written, InstanceRecord instance, RedisEndpoint redis,
			boolean userMayExist) {
		String bindingId = written.value().bindingId();
		try {
			if (userMayExist) {
				this.acl.deleteUser(redis, this.adminPasswords.open(instance), written.value().username());
			}
			this.bindings.delete(written);
			logger.info("operation=bind state=failed instance_id={} binding_id={} cleaned_up=true",
					instance.instanceId(), bindingId);
		}
		catch (RuntimeException ex) {
			logger.warn(
					"operation=bind state=failed instance_id={} binding_id={} cleaned_up=false "
							+ "reason=\"{}\" (an unbind or a repeated bind settles it)",
					instance.instanceId(), bindingId, ex.getMessage());
		}
	}

	private Map<String, Object> credentials(RedisLocation location, RedisEndpoint redis, String username,
			String password) {
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("host", redis.host());
		credentials.put("port", redis.port());
		credentials.put("username", username);
		credentials.put("password", password);
		credentials.put("uri", "redis://" + username + ":" + password + "@" + redis.host() + ":" + redis.port());
		credentials.put("consul_url", this.consulAppUrl);
		credentials.put("consul_datacenter", this.discovery.datacenter());
		credentials.put("consul_service", location.service());
		if (!this.consulAppToken.isEmpty()) {
			credentials.put("consul_token", this.consulAppToken);
		}
		return credentials;
	}

	@Override
	public Mono<GetServiceInstanceBindingResponse> getServiceInstanceBinding(GetServiceInstanceBindingRequest request) {
		return Mono.fromCallable(() -> {
			BindingRecord binding = this.bindings.find(request.getServiceInstanceId(), request.getBindingId())
				.map(Versioned::value)
				.filter((record) -> record.state() == BindingRecord.State.CREATED)
				.orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(request.getBindingId()));
			return GetServiceInstanceAppBindingResponse.builder()
				.credentials(open(binding))
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
			if (location.endpoint().isPresent()) {
				// the user first: its connections close now, and a crash before the
				// record is deleted leaves a record that the platform's retry removes
				this.acl.deleteUser(location.endpoint().get(), this.adminPasswords.open(instance),
						binding.value().username());
			}
			else if (this.deployer.status(instanceId).isPresent()) {
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

	private RedisEndpoint passing(RedisLocation location, String what) {
		return location.endpoint()
			.orElseThrow(() -> new ServiceBrokerConcurrencyException("Redis is moving or down: Consul lists no "
					+ "passing instance of " + location.service() + "; retry the " + what + " in a minute."));
	}

	private java.util.List<String> rules(InstanceRecord instance) {
		return this.catalog.plan(instance.planId())
			.map(PlanProperties::aclRuleList)
			.orElseGet(() -> java.util.Arrays.asList(PlanProperties.DEFAULT_ACL_RULES.split(" ")));
	}

	private Map<String, Object> open(BindingRecord record) {
		String json = this.secrets.open(record.credentials(), record.credentialsContext());
		try {
			return this.objectMapper.readValue(json, CREDENTIALS);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(
					"The sealed credentials of binding " + record.bindingId() + " are not a JSON object once opened",
					ex);
		}
	}

	private String json(Map<String, Object> credentials) {
		try {
			return this.objectMapper.writeValueAsString(credentials);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Credentials are plain strings and numbers", ex);
		}
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
