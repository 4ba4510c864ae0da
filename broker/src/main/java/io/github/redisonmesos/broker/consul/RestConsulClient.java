package io.github.redisonmesos.broker.consul;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.remote.RemoteService;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * {@link ConsulClient} over Consul's HTTP API (shapes in fixtures/consul).
 */
@Component
class RestConsulClient implements ConsulClient {

	/** Where Consul reads the ACL token of a request, on every endpoint. */
	static final String TOKEN_HEADER = "X-Consul-Token";

	private final RemoteService consul;

	RestConsulClient(ConsulProperties properties, RestClient.Builder builder) {
		// set once on the client rather than per call, so that no call (the health
		// indicator's included) can go out without it; the builder is a prototype
		// bean, so Marathon's client never gets the header
		if (properties.hasToken()) {
			builder.defaultHeader(TOKEN_HEADER, properties.token());
		}
		this.consul = new RemoteService("Consul", properties.url(), "CONSUL_URL", "CONSUL_TOKEN", properties.timeout(),
				builder);
	}

	@Override
	public Optional<KvEntry> get(String key) {
		return this.consul.call(() -> {
			try {
				JsonNode entries = this.consul.restClient().get().uri(kvPath(key)).retrieve().body(JsonNode.class);
				if (entries == null || entries.isEmpty()) {
					return Optional.empty();
				}
				JsonNode entry = entries.get(0);
				String value = entry.path("Value").isNull() ? ""
						: new String(Base64.getDecoder().decode(entry.path("Value").asText()), StandardCharsets.UTF_8);
				return Optional.of(new KvEntry(entry.path("Key").asText(), value, entry.path("ModifyIndex").asLong()));
			}
			catch (HttpClientErrorException.NotFound ex) {
				// Consul answers 404 for a missing key
				return Optional.empty();
			}
		});
	}

	@Override
	public boolean put(String key, String value, long cas) {
		Boolean won = this.consul.call(() -> this.consul.restClient()
			.put()
			.uri(kvPath(key) + "?cas=" + cas)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(value.getBytes(StandardCharsets.UTF_8))
			.retrieve()
			.body(Boolean.class));
		return Boolean.TRUE.equals(won);
	}

	@Override
	public void delete(String key) {
		this.consul.call(() -> this.consul.restClient().delete().uri(kvPath(key)).retrieve().toBodilessEntity());
	}

	@Override
	public void deleteRecursively(String prefix) {
		this.consul.call(
				() -> this.consul.restClient().delete().uri(kvPath(prefix) + "?recurse").retrieve().toBodilessEntity());
	}

	@Override
	public List<ServiceInstance> instances(String service, boolean passingOnly) {
		JsonNode entries = this.consul.call(() -> this.consul.restClient()
			.get()
			.uri(passingOnly ? "/v1/health/service/{name}?passing" : "/v1/health/service/{name}", service)
			.retrieve()
			.onStatus((status) -> status.isSameCodeAs(HttpStatus.NOT_FOUND), (request, response) -> {
			})
			.body(JsonNode.class));
		List<ServiceInstance> instances = new ArrayList<>();
		if (entries != null) {
			for (JsonNode entry : entries) {
				String address = entry.path("Service").path("Address").asText("");
				if (address.isEmpty()) {
					// Consul: an empty service address means "use the node's address"
					address = entry.path("Node").path("Address").asText();
				}
				instances.add(new ServiceInstance(address, entry.path("Service").path("Port").asInt()));
			}
		}
		return instances;
	}

	@Override
	public String datacenter() {
		JsonNode self = this.consul
			.call(() -> this.consul.restClient().get().uri("/v1/agent/self").retrieve().body(JsonNode.class));
		return (self != null) ? self.path("Config").path("Datacenter").asText() : "";
	}

	// keys are built from validated ids; concatenation keeps their slashes unescaped,
	// which a URI template variable would not
	private static String kvPath(String key) {
		return "/v1/kv/" + key;
	}

	@Override
	public String toString() {
		return this.consul.toString();
	}

}
