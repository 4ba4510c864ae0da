package io.github.redisonmesos.localplatform.consul;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code /v1/catalog/*}: reads block on the catalog or service index; writes answer
 * {@code true} as Consul's handlers do.
 */
@RestController
class CatalogController {

	private static final Set<String> STATUSES = Set.of("passing", "warning", "critical");

	private final Catalog catalog;

	private final BlockingQueries queries;

	private final ObjectMapper objectMapper;

	CatalogController(Catalog catalog, BlockingQueries queries, ObjectMapper objectMapper) {
		this.catalog = catalog;
		this.queries = queries;
		this.objectMapper = objectMapper;
	}

	@GetMapping("/v1/catalog/services")
	DeferredResult<ResponseEntity<Object>> services(@RequestParam(defaultValue = "0") long index,
			@RequestParam(required = false) String wait) {
		return this.queries.answer(index, wait, this.catalog::catalogIndex,
				(current) -> ConsulResponses.ok(current, this.catalog.serviceNames()));
	}

	@GetMapping("/v1/catalog/service/{name}")
	DeferredResult<ResponseEntity<Object>> service(@PathVariable String name,
			@RequestParam(defaultValue = "0") long index, @RequestParam(required = false) String wait,
			@RequestParam(required = false) String tag) {
		return this.queries.answer(index, wait, () -> this.catalog.serviceIndex(name),
				(current) -> ConsulResponses.ok(current,
						this.catalog.instances(name, tag)
							.stream()
							.map((entry) -> ConsulJson.catalogEntry(entry, this.catalog.node(entry.node()),
									this.catalog.datacenter()))
							.toList()));
	}

	@PutMapping("/v1/catalog/register")
	boolean register(@RequestBody String body) {
		JsonNode request = parse(body);
		String nodeName = required(request, "Node");
		CatalogNode node = new CatalogNode(request.path("ID").asText(""), nodeName, required(request, "Address"),
				map(request.path("TaggedAddresses")), map(request.path("NodeMeta")), 0, 0);
		if (request.path("SkipNodeUpdate").asBoolean(false) && this.catalog.node(nodeName) != null) {
			node = this.catalog.node(nodeName);
		}
		ServiceRegistration service = null;
		JsonNode serviceJson = request.path("Service");
		if (serviceJson.isObject()) {
			String serviceName = required(serviceJson, "Service");
			service = new ServiceRegistration(serviceJson.path("ID").asText(serviceName), serviceName,
					list(serviceJson.path("Tags")), serviceJson.path("Address").asText(""),
					serviceJson.path("Port").asInt(0), map(serviceJson.path("Meta")));
		}
		CheckRegistration check = null;
		JsonNode checkJson = request.path("Check");
		if (checkJson.isObject()) {
			String status = checkJson.path("Status").asText("critical");
			if (!STATUSES.contains(status)) {
				throw new ConsulBadRequestException("Invalid check status: \"" + status + "\"");
			}
			String checkName = required(checkJson, "Name");
			Map<String, Object> definition = this.objectMapper.convertValue(checkJson.path("Definition"),
					new TypeReference<>() {
					});
			check = new CheckRegistration(checkJson.path("CheckID").asText(checkName), checkName, status,
					checkJson.path("Notes").asText(""), checkJson.path("Output").asText(""),
					checkJson.path("ServiceID").asText(""), (definition != null) ? definition : Map.of());
		}
		this.catalog.register(node, service, check);
		return true;
	}

	@PutMapping("/v1/catalog/deregister")
	boolean deregister(@RequestBody String body) {
		JsonNode request = parse(body);
		String serviceId = request.hasNonNull("ServiceID") ? request.get("ServiceID").asText() : null;
		String checkId = request.hasNonNull("CheckID") ? request.get("CheckID").asText() : null;
		this.catalog.deregister(required(request, "Node"), serviceId, checkId);
		return true;
	}

	private JsonNode parse(String body) {
		try {
			JsonNode node = this.objectMapper.readTree(body);
			if (node == null || !node.isObject()) {
				throw new ConsulBadRequestException("Request decode failed: expected a JSON object");
			}
			return node;
		}
		catch (JsonProcessingException ex) {
			throw new ConsulBadRequestException("Request decode failed: " + ex.getOriginalMessage());
		}
	}

	private static String required(JsonNode json, String field) {
		String value = json.path(field).asText("");
		if (value.isEmpty()) {
			throw new ConsulBadRequestException("Must provide " + field);
		}
		return value;
	}

	private static Map<String, String> map(JsonNode json) {
		Map<String, String> map = new LinkedHashMap<>();
		json.properties().forEach((field) -> map.put(field.getKey(), field.getValue().asText()));
		return map;
	}

	private static List<String> list(JsonNode json) {
		List<String> values = new ArrayList<>();
		json.forEach((value) -> values.add(value.asText()));
		return values;
	}

}
