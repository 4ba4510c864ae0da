package io.github.redisonmesos.broker.component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * Consul's KV endpoint as a WireMock transformer that keeps state, with the rules of
 * fixtures/consul/SEMANTICS.md (check-and-set writes and deletes, {@code ?keys} with a
 * separator, {@code ?recurse} deletes) and answers in the shapes of the recorded fixtures
 * ({@code kv_get.response.json}: base64 {@code Value}, {@code ModifyIndex};
 * {@code true}/{@code false} for writes; {@code X-Consul-Index}). The lifecycle of a
 * broker reads back what it wrote, so a fixed stub per request would not do.
 */
class ConsulKvStore implements ResponseDefinitionTransformerV2 {

	static final String NAME = "consul-kv-store";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, Entry> entries = new TreeMap<>();

	private long index = 100;

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public boolean applyGlobally() {
		return false;
	}

	@Override
	public synchronized ResponseDefinition transform(ServeEvent serveEvent) {
		Request request = serveEvent.getRequest();
		String path = request.getUrl().split("\\?", 2)[0];
		String key = URLDecoder.decode(path.substring("/v1/kv/".length()), StandardCharsets.UTF_8);
		Map<String, String> query = query(request.getUrl());
		return switch (request.getMethod().getName()) {
			case "GET" -> query.containsKey("keys") ? keys(key, query.get("separator")) : read(key);
			case "PUT" -> answer(write(key, request.getBody(), Long.parseLong(query.getOrDefault("cas", "-1"))));
			case "DELETE" -> answer(query.containsKey("recurse") ? deleteAll(key)
					: delete(key, Long.parseLong(query.getOrDefault("cas", "-1"))));
			default -> responseDefinition().withStatus(405).build();
		};
	}

	private ResponseDefinition read(String key) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return responseDefinition().withStatus(404).withHeader("X-Consul-Index", Long.toString(this.index)).build();
		}
		ArrayNode body = JSON.createArrayNode();
		body.addObject()
			.put("LockIndex", 0)
			.put("Key", key)
			.put("Flags", 0)
			.put("Value", Base64.getEncoder().encodeToString(entry.value()))
			.put("CreateIndex", entry.createIndex())
			.put("ModifyIndex", entry.modifyIndex());
		return json(body.toString());
	}

	private ResponseDefinition keys(String prefix, String separator) {
		ArrayNode body = JSON.createArrayNode();
		this.entries.keySet().stream().filter((key) -> key.startsWith(prefix)).map((key) -> {
			int cut = (separator == null) ? -1 : key.indexOf(separator, prefix.length());
			return (cut < 0) ? key : key.substring(0, cut + separator.length());
		}).distinct().forEach(body::add);
		if (body.isEmpty()) {
			return responseDefinition().withStatus(404).withHeader("X-Consul-Index", Long.toString(this.index)).build();
		}
		return json(body.toString());
	}

	private boolean write(String key, byte[] value, long cas) {
		Entry current = this.entries.get(key);
		if (cas == 0 && current != null || cas > 0 && (current == null || current.modifyIndex() != cas)) {
			return false;
		}
		this.index++;
		this.entries.put(key, new Entry(value, (current != null) ? current.createIndex() : this.index, this.index));
		return true;
	}

	private boolean delete(String key, long cas) {
		Entry current = this.entries.get(key);
		if (cas >= 0 && (current == null || current.modifyIndex() != cas)) {
			// Consul takes no action for cas=0, nor for an index that moved on
			return cas < 0;
		}
		this.entries.remove(key);
		this.index++;
		return true;
	}

	private boolean deleteAll(String prefix) {
		this.entries.keySet().removeIf((key) -> key.startsWith(prefix));
		this.index++;
		return true;
	}

	private ResponseDefinition answer(boolean result) {
		return json(Boolean.toString(result));
	}

	private ResponseDefinition json(String body) {
		return responseDefinition().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Consul-Index", Long.toString(this.index))
			.withBody(body)
			.build();
	}

	private static Map<String, String> query(String url) {
		Map<String, String> query = new TreeMap<>();
		String[] parts = url.split("\\?", 2);
		if (parts.length == 2) {
			for (String pair : parts[1].split("&")) {
				String[] nameValue = pair.split("=", 2);
				query.put(nameValue[0],
						(nameValue.length == 2) ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
			}
		}
		return query;
	}

	/** Every key and its value, as text. */
	synchronized Map<String, String> values() {
		Map<String, String> values = new TreeMap<>();
		this.entries.forEach((key, entry) -> values.put(key, new String(entry.value(), StandardCharsets.UTF_8)));
		return values;
	}

	synchronized void clear() {
		this.entries.clear();
	}

	synchronized void put(String key, String value) {
		write(key, value.getBytes(StandardCharsets.UTF_8), -1);
	}

	synchronized List<String> keys() {
		return List.copyOf(this.entries.keySet());
	}

	private record Entry(byte[] value, long createIndex, long modifyIndex) {

	}

}
