package io.github.redisonmesos.localplatform.consul.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ACL endpoints {@code manifests/consul/apply.sh} and the demo call, in the shapes of
 * Consul's API docs ({@code api-docs/acl/policies.mdx}, {@code tokens.mdx}). All but
 * {@code token/self} need the management token ({@code acl:read}/{@code acl:write});
 * while ACLs are off each answers 401 {@code ACL support disabled}.
 */
@RestController
class AclController {

	private final AclStore store;

	private final ObjectMapper json;

	AclController(AclStore store, ObjectMapper json) {
		this.store = store;
		this.json = json;
	}

	@PutMapping("/v1/acl/policy")
	Map<String, Object> createPolicy(HttpServletRequest request, @RequestBody String body) {
		manage(request, Access.WRITE);
		JsonNode policy = parse(body);
		return this.store.policyJson(this.store.savePolicy(null, text(policy, "Name"), text(policy, "Description"),
				text(policy, "Rules"), strings(policy.path("Datacenters"))));
	}

	@GetMapping("/v1/acl/policy/{id}")
	Map<String, Object> policy(HttpServletRequest request, @PathVariable String id) {
		manage(request, Access.READ);
		return this.store.policyJson(this.store.policy(id));
	}

	@GetMapping("/v1/acl/policy/name/{name}")
	Map<String, Object> policyNamed(HttpServletRequest request, @PathVariable String name) {
		manage(request, Access.READ);
		return this.store.policyJson(this.store.policyNamed(name));
	}

	@PutMapping("/v1/acl/policy/{id}")
	Map<String, Object> updatePolicy(HttpServletRequest request, @PathVariable String id, @RequestBody String body) {
		manage(request, Access.WRITE);
		JsonNode policy = parse(body);
		String bodyId = text(policy, "ID");
		if (bodyId != null && !bodyId.isEmpty() && !bodyId.equals(id)) {
			throw new AclRequestException("Policy ID in URL and payload do not match");
		}
		return this.store.policyJson(this.store.savePolicy(id, text(policy, "Name"), text(policy, "Description"),
				text(policy, "Rules"), strings(policy.path("Datacenters"))));
	}

	@GetMapping("/v1/acl/policies")
	List<Map<String, Object>> policies(HttpServletRequest request) {
		manage(request, Access.READ);
		return this.store.policies().stream().map((policy) -> {
			Map<String, Object> entry = this.store.policyJson(policy);
			// the listing leaves the rules out (policies.mdx, List Policies)
			entry.remove("Rules");
			return entry;
		}).toList();
	}

	@PutMapping("/v1/acl/token")
	Map<String, Object> createToken(HttpServletRequest request, @RequestBody String body) {
		manage(request, Access.WRITE);
		JsonNode token = parse(body);
		return this.store.tokenJson(this.store.saveToken(null, text(token, "AccessorID"), text(token, "SecretID"),
				text(token, "Description"), links(token)));
	}

	@GetMapping("/v1/acl/token/self")
	Map<String, Object> self(HttpServletRequest request) {
		enabled();
		// no permission needed: the caller holds the secret already
		return this.store.tokenJson(this.store.self(AclStore.tokenOf(request)));
	}

	@GetMapping("/v1/acl/token/{accessorId}")
	Map<String, Object> token(HttpServletRequest request, @PathVariable String accessorId) {
		manage(request, Access.READ);
		return this.store.tokenJson(this.store.token(accessorId));
	}

	@PutMapping("/v1/acl/token/{accessorId}")
	Map<String, Object> updateToken(HttpServletRequest request, @PathVariable String accessorId,
			@RequestBody String body) {
		manage(request, Access.WRITE);
		JsonNode token = parse(body);
		String bodyId = text(token, "AccessorID");
		if (bodyId != null && !bodyId.isEmpty() && !bodyId.equals(accessorId)) {
			throw new AclRequestException("Token Accessor ID in URL and payload do not match");
		}
		return this.store.tokenJson(this.store.saveToken(this.store.token(accessorId), null, text(token, "SecretID"),
				text(token, "Description"), links(token)));
	}

	@GetMapping("/v1/acl/tokens")
	List<Map<String, Object>> tokens(HttpServletRequest request) {
		manage(request, Access.READ);
		return this.store.tokens().stream().map(this.store::tokenJson).toList();
	}

	private void enabled() {
		if (!this.store.enabled()) {
			throw new AclDisabledException();
		}
	}

	private void manage(HttpServletRequest request, Access access) {
		enabled();
		Authorizer authorizer = this.store.authorize(request);
		if (!authorizer.management()) {
			throw authorizer.denied("acl", access, null);
		}
	}

	private JsonNode parse(String body) {
		try {
			JsonNode node = this.json.readTree(body);
			if (node == null || !node.isObject()) {
				throw new AclRequestException("Request decode failed: expected a JSON object");
			}
			return node;
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new AclRequestException("Request decode failed: " + ex.getOriginalMessage());
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asText();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asText()));
		return values;
	}

	private static List<Map<String, String>> links(JsonNode token) {
		List<Map<String, String>> links = new ArrayList<>();
		for (JsonNode link : token.path("Policies")) {
			Map<String, String> entry = new java.util.HashMap<>();
			if (link.hasNonNull("ID")) {
				entry.put("ID", link.get("ID").asText());
			}
			if (link.hasNonNull("Name")) {
				entry.put("Name", link.get("Name").asText());
			}
			links.add(entry);
		}
		return links;
	}

}
