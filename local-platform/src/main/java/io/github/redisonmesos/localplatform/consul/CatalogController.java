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

import io.github.redisonmesos.localplatform.consul.acl.Access;
import io.github.redisonmesos.localplatform.consul.acl.AclStore;
import io.github.redisonmesos.localplatform.consul.acl.Authorizer;
import io.github.redisonmesos.localplatform.consul.acl.Resource;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
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
 * {@code true} as Consul's handlers do. With ACLs on, reads leave out what the token may
 * not read (a service entry needs read on its service and on its node), and a
 * registration needs write on the service, and on the node unless it leaves the node as
 * it is (Consul's catalog_endpoint.go, vetRegisterWithACL).
 */
@RestController
class CatalogController {

	private static final Set<String> STATUSES = Set.of("passing", "warning", "critical");

	private final Catalog catalog;

	private final BlockingQueries queries;

	private final ObjectMapper objectMapper;

	private final AclStore acls;

	CatalogController(Catalog catalog, BlockingQueries queries, ObjectMapper objectMapper, AclStore acls) {
		this.catalog = catalog;
		this.queries = queries;
		this.objectMapper = objectMapper;
		this.acls = acls;
	}

	@GetMapping("/v1/catalog/services")
	DeferredResult<ResponseEntity<Object>> services(HttpServletRequest http,
			@RequestParam(defaultValue = "0") long index, @RequestParam(required = false) String wait) {
		Authorizer authorizer = this.acls.authorize(http);
		return this.queries.answer(index, wait, this.catalog::catalogIndex, (current) -> {
			Map<String, List<String>> all = this.catalog.serviceNames();
			Map<String, List<String>> readable = new LinkedHashMap<>();
			all.forEach((name, tags) -> {
				if (authorizer.allows(Resource.SERVICE, Access.READ, name)) {
					readable.put(name, tags);
				}
			});
			return ConsulResponses.status(HttpStatus.OK, current, authorizer, readable.size() < all.size())
				.body(readable);
		});
	}

	@GetMapping("/v1/catalog/service/{name}")
	DeferredResult<ResponseEntity<Object>> service(HttpServletRequest http, @PathVariable String name,
			@RequestParam(defaultValue = "0") long index, @RequestParam(required = false) String wait,
			@RequestParam(required = false) String tag) {
		Authorizer authorizer = this.acls.authorize(http);
		return this.queries.answer(index, wait, () -> this.catalog.serviceIndex(name), (current) -> {
			List<CatalogService> all = this.catalog.instances(name, tag);
			List<CatalogService> readable = readable(all, authorizer);
			return ConsulResponses.status(HttpStatus.OK, current, authorizer, readable.size() < all.size())
				.body(readable.stream()
					.map((entry) -> ConsulJson.catalogEntry(entry, this.catalog.node(entry.node()),
							this.catalog.datacenter()))
					.toList());
		});
	}

	/**
	 * The instances a token may see: read on the service and on its node.
	 */
	static List<CatalogService> readable(List<CatalogService> instances, Authorizer authorizer) {
		return instances.stream()
			.filter((entry) -> authorizer.allows(Resource.SERVICE, Access.READ, entry.service().name())
					&& authorizer.allows(Resource.NODE, Access.READ, entry.node()))
			.toList();
	}

	@PutMapping("/v1/catalog/register")
	boolean register(HttpServletRequest http, @RequestBody String body) {
		Authorizer authorizer = this.acls.authorize(http);
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
		CatalogNode existing = this.catalog.node(nodeName);
		if (existing == null || !sameNode(existing, node)) {
			authorizer.check(Resource.NODE, Access.WRITE, nodeName);
		}
		if (service != null) {
			authorizer.check(Resource.SERVICE, Access.WRITE, service.name());
		}
		if (check != null && check.serviceId().isEmpty()) {
			authorizer.check(Resource.NODE, Access.WRITE, nodeName);
		}
		this.catalog.register(node, service, check);
		return true;
	}

	private static boolean sameNode(CatalogNode existing, CatalogNode requested) {
		// Consul's RegisterRequest.ChangesNode (SkipNodeUpdate makes the request use the
		// node as it is)
		return existing.address().equals(requested.address()) && requested.id().equals(existing.id())
				&& existing.taggedAddresses().equals(requested.taggedAddresses())
				&& existing.meta().equals(requested.meta());
	}

	@PutMapping("/v1/catalog/deregister")
	boolean deregister(HttpServletRequest http, @RequestBody String body) {
		Authorizer authorizer = this.acls.authorize(http);
		JsonNode request = parse(body);
		String serviceId = request.hasNonNull("ServiceID") ? request.get("ServiceID").asText() : null;
		String checkId = request.hasNonNull("CheckID") ? request.get("CheckID").asText() : null;
		String nodeName = required(request, "Node");
		String serviceName = (serviceId != null) ? this.catalog.serviceName(nodeName, serviceId) : null;
		if (serviceName != null) {
			authorizer.check(Resource.SERVICE, Access.WRITE, serviceName);
		}
		else if (serviceId == null) {
			// a whole node or one of its checks
			authorizer.check(Resource.NODE, Access.WRITE, nodeName);
		}
		this.catalog.deregister(nodeName, serviceId, checkId);
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
