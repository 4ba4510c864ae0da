package io.github.redisonmesos.broker.binding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.redisonmesos.broker.consul.ConsulClient;
import io.github.redisonmesos.broker.consul.ConsulProperties;
import io.github.redisonmesos.broker.consul.ServiceInstance;
import io.github.redisonmesos.broker.consul.Versioned;
import io.github.redisonmesos.broker.instance.InstanceIds;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRepository;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.marathon.RedisApp;
import io.github.redisonmesos.broker.web.OriginatingIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidParametersException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceBindingExistsException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceDoesNotExistException;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.DeleteServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceAppBindingResponse;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingRequest;
import org.springframework.cloud.servicebroker.model.binding.GetServiceInstanceBindingResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceBindingService;
import org.springframework.stereotype.Service;

/**
 * Synchronous bindings: the Redis address as Consul lists it now, plus where the app can
 * ask Consul again after Redis moves.
 */
@Service
class RedisServiceInstanceBindingService implements ServiceInstanceBindingService {

	private static final Logger logger = LoggerFactory.getLogger(RedisServiceInstanceBindingService.class);

	private static final Pattern BINDING_ID = Pattern.compile("[A-Za-z0-9._-]+");

	private final InstanceRepository instances;

	private final BindingRepository bindings;

	private final ConsulClient consul;

	private final String consulAppUrl;

	private final String consulAppToken;

	RedisServiceInstanceBindingService(InstanceRepository instances, BindingRepository bindings, ConsulClient consul,
			ConsulProperties consulProperties) {
		this.instances = instances;
		this.bindings = bindings;
		this.consul = consul;
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
		String instanceId = InstanceIds.require(request.getServiceInstanceId());
		String bindingId = requireBindingId(request.getBindingId());
		logger.info("operation=bind instance_id={} binding_id={} {}", instanceId, bindingId,
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		InstanceRecord instance = this.instances.find(instanceId)
			.map(Versioned::value)
			.orElseThrow(() -> new ServiceInstanceDoesNotExistException(instanceId));
		BindingRecord wanted = new BindingRecord(bindingId, instanceId, appGuid(request), request.getParameters(),
				Map.of());
		BindingRecord existing = this.bindings.find(instanceId, bindingId).orElse(null);
		if (existing != null) {
			return existing(existing, wanted);
		}
		if (!instance.ready()) {
			throw new ServiceBrokerConcurrencyException(
					"Instance " + instanceId + " is not ready: " + advice(instance.operation()));
		}
		BindingRecord created = new BindingRecord(bindingId, instanceId, appGuid(request), request.getParameters(),
				credentials(instance));
		if (!this.bindings.create(created)) {
			// another broker created it meanwhile: answer as for a repeated request
			return this.bindings.find(instanceId, bindingId)
				.map((winner) -> existing(winner, wanted))
				.orElseThrow(() -> new ServiceBrokerConcurrencyException(
						"Binding " + bindingId + " changed while this request ran; send it again."));
		}
		return CreateServiceInstanceAppBindingResponse.builder().credentials(created.credentials()).build();
	}

	private CreateServiceInstanceBindingResponse existing(BindingRecord existing, BindingRecord wanted) {
		if (!existing.sameAttributes(wanted)) {
			throw new ServiceInstanceBindingExistsException(wanted.instanceId(), wanted.bindingId());
		}
		return CreateServiceInstanceAppBindingResponse.builder()
			.bindingExisted(true)
			.credentials(existing.credentials())
			.build();
	}

	private Map<String, Object> credentials(InstanceRecord instance) {
		String service = RedisApp.consulService(instance.instanceId());
		List<ServiceInstance> passing = this.consul.instances(service, true);
		if (passing.isEmpty()) {
			throw new ServiceBrokerUnavailableException(
					"Consul lists no passing instance of " + service + "; retry once Redis is healthy again.");
		}
		ServiceInstance redis = passing.get(0);
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("host", redis.address());
		credentials.put("port", redis.port());
		credentials.put("password", instance.password());
		credentials.put("uri", "redis://:" + instance.password() + "@" + redis.address() + ":" + redis.port());
		credentials.put("consul_url", this.consulAppUrl);
		credentials.put("consul_datacenter", this.consul.datacenter());
		credentials.put("consul_service", service);
		if (!this.consulAppToken.isEmpty()) {
			credentials.put("consul_token", this.consulAppToken);
		}
		return credentials;
	}

	@Override
	public Mono<GetServiceInstanceBindingResponse> getServiceInstanceBinding(GetServiceInstanceBindingRequest request) {
		return Mono.fromCallable(() -> {
			BindingRecord binding = this.bindings.find(request.getServiceInstanceId(), request.getBindingId())
				.orElseThrow(() -> new ServiceInstanceBindingDoesNotExistException(request.getBindingId()));
			return GetServiceInstanceAppBindingResponse.builder()
				.credentials(binding.credentials())
				.parameters(binding.parameters())
				.build();
		});
	}

	@Override
	public Mono<DeleteServiceInstanceBindingResponse> deleteServiceInstanceBinding(
			DeleteServiceInstanceBindingRequest request) {
		return Mono.fromCallable(() -> {
			String instanceId = request.getServiceInstanceId();
			String bindingId = request.getBindingId();
			logger.info("operation=unbind instance_id={} binding_id={} {}", instanceId, bindingId,
					OriginatingIdentity.describe(request.getOriginatingIdentity()));
			if (this.bindings.find(instanceId, bindingId).isEmpty()) {
				throw new ServiceInstanceBindingDoesNotExistException(bindingId);
			}
			this.bindings.delete(instanceId, bindingId);
			return DeleteServiceInstanceBindingResponse.builder().async(false).build();
		});
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

	private static String appGuid(CreateServiceInstanceBindingRequest request) {
		return (request.getBindResource() != null) ? request.getBindResource().getAppGuid() : null;
	}

	private static String requireBindingId(String bindingId) {
		if (bindingId == null || !BINDING_ID.matcher(bindingId).matches()) {
			throw new ServiceBrokerInvalidParametersException(
					"Binding id '" + bindingId + "' may only hold letters, digits, '.', '_' and '-'.");
		}
		return bindingId;
	}

}
