package io.github.redisonmesos.localplatform.agents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.localplatform.process.PortRange;

/**
 * One Mesos agent: its address (which is also its hostname, as constraints and tasks see
 * it), its attributes and its port resource: {@code ports(*)} and, optionally, a range
 * reserved statically for one role.
 *
 * @param id the agent id ({@code agent-1}, ...), Marathon's {@code slaveId}
 * @param host its address and hostname ({@code 127.0.1.1}, ...)
 * @param attributes its attributes ({@code zone}, ...), in the order given
 * @param unreserved its unreserved ports, {@code ports(*)}
 * @param reserved its reserved ports, or null
 * @param reservedRole the role {@code reserved} is reserved for
 */
public record MesosAgent(String id, String host, Map<String, String> attributes, PortRange unreserved,
		PortRange reserved, String reservedRole) {

	public MesosAgent {
		attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
	}

	public Optional<PortRange> reservedPorts() {
		return Optional.ofNullable(this.reserved);
	}

	/**
	 * The value a constraint reads for a field: the hostname for {@code hostname} (or
	 * {@code @hostname}), else the attribute.
	 * @param field the constraint's field
	 * @return the value, or empty when the agent has no such attribute
	 */
	public Optional<String> field(String field) {
		if ("hostname".equals(field) || "@hostname".equals(field)) {
			return Optional.of(this.host);
		}
		return Optional.ofNullable(this.attributes.get(field));
	}

	/**
	 * The agent's port resources by role, as {@code GET /local-platform/agents} shows
	 * them.
	 * @return {@code {"*": "31000-32000", "<role>": "33000-33999"}}
	 */
	public Map<String, String> portsByRole() {
		Map<String, String> ports = new LinkedHashMap<>();
		ports.put("*", this.unreserved.toString());
		if (this.reserved != null) {
			ports.put(this.reservedRole, this.reserved.toString());
		}
		return ports;
	}

}
