package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.remote.RemoteClient;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * {@link ConsulClient} over Consul's HTTP API (shapes in fixtures/consul). Every path is
 * built from encoded segments: no key, service name or id can change the URL's shape.
 */
@Component
class RestConsulClient implements ConsulClient {

	/** Where Consul reads the ACL token of a request, on every endpoint. */
	static final String TOKEN_HEADER = "X-Consul-Token";

	private final RemoteClient consul;

	RestConsulClient(ConsulProperties properties, TlsProperties tls, SslBundles bundles, RestClient.Builder builder,
			MeterRegistry meters) {
		// set once on the client rather than per call, so that no call (the health
		// indicator's included) can go out without it; the builder is a prototype
		// bean, so Marathon's client never gets the header
		if (properties.hasToken()) {
			builder.defaultHeader(TOKEN_HEADER, properties.token());
		}
		this.consul = new RemoteClient("Consul", properties.url(), "CONSUL_URL",
				"CONSUL_TOKEN, the ACL token the broker sends to Consul", properties.timeout(), tls.consul(bundles),
				builder, meters);
	}

	@Override
	public Optional<KvEntry> get(KvKey key) {
		return this.consul.call("kv_get", () -> {
			try {
				JsonNode entries = this.consul.restClient().get().uri(kv(key, "")).retrieve().body(JsonNode.class);
				if (entries == null || entries.isEmpty()) {
					return Optional.empty();
				}
				JsonNode entry = entries.get(0);
				String value = entry.path("Value").isNull() ? ""
						: new String(Base64.getDecoder().decode(entry.path("Value").asText()), StandardCharsets.UTF_8);
				return Optional.of(new KvEntry(key, value, entry.path("ModifyIndex").asLong()));
			}
			catch (HttpClientErrorException.NotFound ex) {
				// Consul answers 404 for a missing key
				return Optional.empty();
			}
		});
	}

	@Override
	public boolean put(KvKey key, String value, long cas) {
		Boolean won = this.consul.call("kv_put",
				() -> this.consul.restClient()
					.put()
					.uri(kv(key, "?cas=" + cas))
					.contentType(MediaType.APPLICATION_OCTET_STREAM)
					.body(value.getBytes(StandardCharsets.UTF_8))
					.retrieve()
					.body(Boolean.class));
		return Boolean.TRUE.equals(won);
	}

	@Override
	public boolean delete(KvKey key, long cas) {
		Boolean deleted = this.consul.call("kv_delete",
				() -> this.consul.restClient().delete().uri(kv(key, "?cas=" + cas)).retrieve().body(Boolean.class));
		return Boolean.TRUE.equals(deleted);
	}

	@Override
	public void deleteFolder(KvKey folder) {
		this.consul.call("kv_delete",
				() -> this.consul.restClient()
					.delete()
					.uri(kv(folder.asFolder(), "?recurse"))
					.retrieve()
					.toBodilessEntity());
	}

	@Override
	public List<KvKey> keys(KvKey folder) {
		KvKey listed = folder.asFolder();
		return this.consul.call("kv_keys", () -> {
			try {
				JsonNode keys = this.consul.restClient()
					.get()
					.uri(kv(listed, "?keys&separator=/"))
					.retrieve()
					.body(JsonNode.class);
				List<KvKey> children = new ArrayList<>();
				String prefix = listed.toString();
				for (JsonNode key : (keys != null) ? keys : List.<JsonNode>of()) {
					String name = key.asText().startsWith(prefix) ? key.asText().substring(prefix.length()) : "";
					// with separator=/ Consul lists sub-folders as "name/": they are not
					// records
					if (!name.isEmpty() && !name.contains("/")) {
						children.add(listed.child(name));
					}
				}
				return children;
			}
			catch (HttpClientErrorException.NotFound ex) {
				return List.of();
			}
		});
	}

	@Override
	public List<ServiceInstance> instances(String service, boolean passingOnly) {
		ResponseEntity<JsonNode> answer = this.consul.call("health_service", () -> {
			try {
				return this.consul.restClient()
					.get()
					.uri(this.consul.uri(List.of("v1", "health", "service", service), false,
							passingOnly ? "?passing" : ""))
					.retrieve()
					.toEntity(JsonNode.class);
			}
			catch (HttpClientErrorException.NotFound ex) {
				return null;
			}
		});
		// ACLs filter a listing silently (200, fewer entries or none): only this header
		// tells "hidden from this token" from "not registered yet"
		if (answer != null && ConsulAclFilteredException
			.filtered(answer.getHeaders().getFirst(ConsulAclFilteredException.HEADER))) {
			throw new ConsulAclFilteredException(service);
		}
		JsonNode entries = (answer != null) ? answer.getBody() : null;
		List<ServiceInstance> instances = new ArrayList<>();
		if (entries != null) {
			for (JsonNode entry : entries) {
				String address = entry.path("Service").path("Address").asText("");
				if (address.isEmpty()) {
					// Consul: an empty service address means "use the node's address"
					address = entry.path("Node").path("Address").asText();
				}
				List<String> tags = new ArrayList<>();
				// Consul answers "Tags": null for a service registered without any
				entry.path("Service").path("Tags").forEach((tag) -> tags.add(tag.asText()));
				instances.add(new ServiceInstance(
						new RedisEndpoint(address, entry.path("Service").path("Port").asInt()), tags));
			}
		}
		return instances;
	}

	@Override
	public String datacenter() {
		JsonNode self = this.consul.call("agent_self",
				() -> this.consul.restClient()
					.get()
					.uri(this.consul.uri(List.of("v1", "agent", "self"), false, ""))
					.retrieve()
					.body(JsonNode.class));
		return (self != null) ? self.path("Config").path("Datacenter").asText() : "";
	}

	private URI kv(KvKey key, String query) {
		List<String> segments = new ArrayList<>(List.of("v1", "kv"));
		segments.addAll(key.segments());
		return this.consul.uri(segments, key.folder(), query);
	}

	@Override
	public String toString() {
		return this.consul.toString();
	}

}
