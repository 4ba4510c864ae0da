package io.github.redisonmesos.localplatform.consul;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.consul.acl.Access;
import io.github.redisonmesos.localplatform.consul.acl.AclStore;
import io.github.redisonmesos.localplatform.consul.acl.Resource;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/agent/self} (its stable {@code Config} subset and {@code Member}) and
 * {@code /v1/status/*}: a single-server cluster on loopback. With ACLs on, agent/self
 * needs {@code agent:read} on the local node (403 otherwise); status is open, as on
 * Consul.
 */
@RestController
class AgentController {

	private static final String RAFT_ADDRESS = "127.0.0.1:8300";

	private final Catalog catalog;

	private final AclStore acls;

	AgentController(Catalog catalog, AclStore acls) {
		this.catalog = catalog;
		this.acls = acls;
	}

	@GetMapping("/v1/agent/self")
	Map<String, Object> self(HttpServletRequest request) {
		this.acls.authorize(request).check(Resource.AGENT, Access.READ, Catalog.LOCAL_NODE);
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("Datacenter", this.catalog.datacenter());
		config.put("NodeName", Catalog.LOCAL_NODE);
		config.put("NodeID", this.catalog.localNodeId());
		config.put("Server", true);
		config.put("Revision", "local-platform");
		config.put("Version", "1.0.0");
		Map<String, Object> member = new LinkedHashMap<>();
		member.put("Name", Catalog.LOCAL_NODE);
		member.put("Addr", "127.0.0.1");
		member.put("Port", 8301);
		member.put("Tags", Map.of("dc", this.catalog.datacenter(), "role", "consul", "port", "8300"));
		member.put("Status", 1);
		Map<String, Object> self = new LinkedHashMap<>();
		self.put("Config", config);
		self.put("DebugConfig", Map.of());
		self.put("Coord", Map.of("Adjustment", 0, "Error", 1.5, "Vec", List.of(0, 0, 0, 0, 0, 0, 0, 0)));
		self.put("Member", member);
		self.put("Meta", Map.of());
		return self;
	}

	@GetMapping(path = "/v1/status/leader", produces = MediaType.APPLICATION_JSON_VALUE)
	String leader() {
		// A bare JSON string, not an object, as Consul answers.
		return "\"" + RAFT_ADDRESS + "\"";
	}

	@GetMapping("/v1/status/peers")
	List<String> peers() {
		return List.of(RAFT_ADDRESS);
	}

}
