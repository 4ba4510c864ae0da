package io.github.redisonmesos.counter.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.health.HealthServicesRequest;
import com.ecwid.consul.v1.health.model.HealthService;
import io.github.redisonmesos.counter.binding.ConsulBinding;

import org.springframework.util.StringUtils;

/**
 * {@link HealthLookup} through consul-api's blocking-query support.
 */
final class ConsulHealthLookup implements HealthLookup {

	private final ConsulClient client;

	private final ConsulBinding binding;

	ConsulHealthLookup(ConsulClient client, ConsulBinding binding) {
		this.client = client;
		this.binding = binding;
	}

	@Override
	public LookupResult passingInstances(long index, Duration wait) {
		String datacenter = StringUtils.hasText(this.binding.datacenter()) ? this.binding.datacenter() : null;
		QueryParams params = (wait != null) ? new QueryParams(datacenter, wait.toSeconds(), index)
				: new QueryParams(datacenter);
		HealthServicesRequest request = HealthServicesRequest.newBuilder()
			.setPassing(true)
			.setQueryParams(params)
			.build();
		try {
			Response<List<HealthService>> response = this.client.getHealthServices(this.binding.serviceName(), request);
			List<RedisEndpoint> endpoints = (response.getValue() != null)
					? response.getValue().stream().map(ConsulHealthLookup::endpointOf).filter(Objects::nonNull).toList()
					: List.of();
			long consulIndex = (response.getConsulIndex() != null) ? response.getConsulIndex() : 0;
			return new LookupResult(endpoints, consulIndex);
		}
		catch (OperationException ex) {
			throw new ConsulLookupException("Asked Consul for " + describe() + "; it answered HTTP "
					+ ex.getStatusCode() + " " + ex.getStatusMessage() + ": " + ex.getStatusContent(), ex);
		}
		catch (RuntimeException ex) {
			// transport failures and unreadable bodies alike: Consul gave no usable
			// answer
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new ConsulLookupException("Could not ask Consul for " + describe() + ": "
					+ cause.getClass().getSimpleName() + ": " + cause.getMessage(), ex);
		}
	}

	@Override
	public String describe() {
		return "passing instances of service '" + this.binding.serviceName() + "' in datacenter "
				+ this.binding.datacenter() + " at " + this.binding.consulUrl();
	}

	private static RedisEndpoint endpointOf(HealthService entry) {
		HealthService.Service service = entry.getService();
		if (service == null || service.getPort() == null) {
			return null;
		}
		// Consul: an empty service address means "use the node's address"
		String host = StringUtils.hasText(service.getAddress()) ? service.getAddress()
				: (entry.getNode() != null) ? entry.getNode().getAddress() : null;
		return StringUtils.hasText(host) ? new RedisEndpoint(host, service.getPort()) : null;
	}

}
