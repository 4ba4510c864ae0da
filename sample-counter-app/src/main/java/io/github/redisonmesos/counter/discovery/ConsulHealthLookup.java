package io.github.redisonmesos.counter.discovery;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.ecwid.consul.UrlParameters;
import com.ecwid.consul.json.GsonFactory;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Request;
import com.ecwid.consul.v1.health.HealthServicesRequest;
import com.ecwid.consul.v1.health.model.HealthService;
import com.google.gson.reflect.TypeToken;
import io.github.redisonmesos.counter.binding.RedisBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.StringUtils;

/**
 * {@link EndpointLookup} through consul-api's blocking-query support.
 * <p>
 * The ACL token goes in the {@code X-Consul-Token} header. consul-api 1.4.5's
 * {@code HealthServicesRequest} would put it in the {@code token} query parameter, where
 * it ends up in URLs, access logs and exception messages; its raw {@link Request} sends
 * the header, so this class asks through that and reads the answer as
 * {@code HealthConsulClient} does.
 */
final class ConsulHealthLookup implements EndpointLookup {

	private static final Logger logger = LoggerFactory.getLogger(ConsulHealthLookup.class);

	private static final int FORBIDDEN = 403;

	private static final Type HEALTH_SERVICES = new TypeToken<List<HealthService>>() {
	}.getType();

	private final ConsulRawClient client;

	private final RedisBinding binding;

	private final String serviceName;

	ConsulHealthLookup(ConsulRawClient client, RedisBinding binding) {
		this(client, binding, binding.serviceName());
	}

	/**
	 * @param client the Consul client
	 * @param binding the datacenter, token and Consul URL to use
	 * @param serviceName the service to list, e.g. the Sentinels' of an {@code ha}
	 * binding
	 */
	ConsulHealthLookup(ConsulRawClient client, RedisBinding binding, String serviceName) {
		this.client = client;
		this.binding = binding;
		this.serviceName = serviceName;
	}

	@Override
	public LookupResult passingInstances(long index, Duration wait) {
		AclFilterHeader.Noted<HttpResponse> answer;
		try {
			answer = AclFilterHeader.during(() -> get(index, wait));
		}
		catch (RuntimeException ex) {
			throw unusable(ex);
		}
		HttpResponse response = answer.answer();
		if (response.getStatusCode() != 200) {
			throw new EndpointLookupException(refusal(response), null);
		}
		LookupResult result;
		try {
			List<HealthService> entries = GsonFactory.getGson().fromJson(response.getContent(), HEALTH_SERVICES);
			List<RedisEndpoint> endpoints = (entries != null)
					? entries.stream().map(ConsulHealthLookup::endpointOf).filter(Objects::nonNull).toList()
					: List.of();
			long consulIndex = (response.getConsulIndex() != null) ? response.getConsulIndex() : 0;
			result = new LookupResult(endpoints, consulIndex);
		}
		catch (RuntimeException ex) {
			throw unusable(ex);
		}
		if (answer.filtered()) {
			// an empty list would read "no Redis yet" and be waited for; what is left
			// of a partly filtered one still serves
			if (result.endpoints().isEmpty()) {
				throw ConsulAclFilteredException.of(this.serviceName, this.binding.consulToken() != null);
			}
			logger.warn("event=consul_results_filtered_by_acls service={} visible={}", this.serviceName,
					result.endpoints().size());
		}
		return result;
	}

	// transport failures and unreadable bodies alike: Consul gave no usable answer
	private EndpointLookupException unusable(RuntimeException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return new EndpointLookupException(redact("Could not ask Consul for " + describe() + ": "
				+ cause.getClass().getSimpleName() + ": " + cause.getMessage()), ex);
	}

	private HttpResponse get(long index, Duration wait) {
		String datacenter = StringUtils.hasText(this.binding.datacenter()) ? this.binding.datacenter() : null;
		QueryParams params = (wait != null) ? new QueryParams(datacenter, wait.toSeconds(), index)
				: new QueryParams(datacenter);
		// no token here: the request object would add it as a query parameter
		List<UrlParameters> query = HealthServicesRequest.newBuilder()
			.setPassing(true)
			.setQueryParams(params)
			.build()
			.asUrlParameters();
		String endpoint = "/v1/health/service/" + this.serviceName;
		if (this.binding.consulToken() == null) {
			// consul-api sends a Request's token header even when it is null, as an empty
			// header: without a token, the plain call sends none at all
			return this.client.makeGetRequest(endpoint, query);
		}
		return this.client.makeGetRequest(Request.Builder.newBuilder()
			.setEndpoint(endpoint)
			.addUrlParameters(query)
			.setToken(this.binding.consulToken())
			.build());
	}

	private String refusal(HttpResponse response) {
		String answer = "HTTP " + response.getStatusCode() + " " + response.getStatusMessage() + ": "
				+ response.getContent();
		if (response.getStatusCode() != FORBIDDEN) {
			return redact("Asked Consul for " + describe() + "; it answered " + answer);
		}
		// 403 is Consul's ACL system speaking ("ACL not found", "Permission denied"):
		// say which setting to fix rather than leave people guessing
		if (this.binding.consulToken() == null) {
			return "Asked Consul without an ACL token for " + describe() + "; Consul refused (" + answer
					+ "): it enforces ACLs, so give the app a token: consul_token in the binding's credentials "
					+ "(the broker's CONSUL_APP_TOKEN) or, without a binding, CONSUL_TOKEN";
		}
		return redact("Consul refused the ACL token for " + describe() + " (" + answer + "): check that the token "
				+ "(consul_token in the binding's credentials or, without a binding, CONSUL_TOKEN) still exists in "
				+ "Consul and that its policy grants service:read on '" + this.serviceName + "' and node:read");
	}

	// Consul and the HTTP client do not echo the token, but an error message is no place
	// to find out that one did
	private String redact(String message) {
		String token = this.binding.consulToken();
		return (token != null && message != null) ? message.replace(token, "<token>") : message;
	}

	@Override
	public String describe() {
		return "passing instances of service '" + this.serviceName + "' in datacenter " + this.binding.datacenter()
				+ " at " + this.binding.consulUrl();
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
