package io.github.redisonmesos.localplatform.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.process.PortRange;

import org.springframework.stereotype.Component;

/**
 * The agents of the local platform, {@code local-platform.agents} of them on
 * {@code 127.0.1.1}, {@code 127.0.1.2}, ... (Linux routes all of {@code 127.0.0.0/8} to
 * the loopback interface), each running until stopped. They share one machine, so one
 * port space: see {@code PortAllocator}. Every agent starts running when the platform
 * starts; whether one was stopped is not kept across a restart.
 */
@Component
public class Agents {

	private final List<MesosAgent> agents;

	private final Set<String> stopped = ConcurrentHashMap.newKeySet();

	Agents(LocalPlatformProperties properties) {
		PortRange unreserved = new PortRange(properties.taskPortMin(), properties.taskPortMax());
		PortRange reserved = properties.reservedPorts().isBlank() ? null : PortRange.parse(properties.reservedPorts());
		if (reserved != null && (reserved.contains(unreserved.begin()) || reserved.contains(unreserved.end())
				|| unreserved.contains(reserved.begin()))) {
			throw new IllegalArgumentException("local-platform.reserved-ports (" + reserved
					+ ") must not overlap local-platform.task-port-min/max (" + unreserved + ")");
		}
		List<MesosAgent> all = new ArrayList<>();
		for (int i = 0; i < properties.agents(); i++) {
			String given = (i < properties.agentAttributes().size()) ? properties.agentAttributes().get(i) : "";
			Map<String, String> attributes = given.isBlank() ? Map.of("zone", "zone-" + zoneLetter(i))
					: attributes(given);
			all.add(new MesosAgent("agent-" + (i + 1), "127.0.1." + (i + 1), attributes, unreserved, reserved,
					properties.reservedRole()));
		}
		this.agents = List.copyOf(all);
	}

	/**
	 * Every agent, in host order.
	 * @return the agents
	 */
	public List<MesosAgent> all() {
		return this.agents;
	}

	public Optional<MesosAgent> find(String host) {
		return this.agents.stream().filter((agent) -> agent.host().equals(host)).findFirst();
	}

	public boolean running(MesosAgent agent) {
		return !this.stopped.contains(agent.host());
	}

	/**
	 * Marks an agent stopped (it offers nothing) or running again.
	 * @param agent the agent
	 * @param running whether it runs
	 * @return whether its state changed
	 */
	public boolean setRunning(MesosAgent agent, boolean running) {
		return running ? this.stopped.remove(agent.host()) : this.stopped.add(agent.host());
	}

	// zone-a ... zone-z, then zone-aa, zone-ab, ...
	private static String zoneLetter(int index) {
		String letter = String.valueOf((char) ('a' + index % 26));
		return (index < 26) ? letter : zoneLetter(index / 26 - 1) + letter;
	}

	/**
	 * Mesos' {@code --attributes} syntax: {@code name:value} pairs separated by
	 * {@code ;}.
	 */
	static Map<String, String> attributes(String text) {
		Map<String, String> attributes = new LinkedHashMap<>();
		for (String pair : text.split(";")) {
			String[] nameValue = pair.split(":", 2);
			if (nameValue.length != 2 || nameValue[0].isBlank()) {
				throw new IllegalArgumentException("local-platform.agent-attributes: '" + pair
						+ "' is no name:value pair (expected e.g. zone:zone-a;rack:r1)");
			}
			attributes.put(nameValue[0].trim(), nameValue[1].trim());
		}
		return attributes;
	}

}
