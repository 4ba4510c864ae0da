package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.agents.Agents;
import io.github.redisonmesos.localplatform.agents.MesosAgent;
import io.github.redisonmesos.localplatform.process.PortAllocator;
import io.github.redisonmesos.localplatform.process.PortsUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Marathon's offer matching over the running agents, between the scheduler's ticks: for
 * each task an app may launch now, each running agent's offer is matched against the
 * app's accepted roles, its constraints (against its instances placed so far) and its
 * ports, in the order of the agents with the fewest tasks first (ties by host), and the
 * first that matches is taken and its ports reserved. Reserving probes the host, so
 * offers are made before the tick's change and not under the registry's lock. Every
 * launch no agent could offer is counted in
 * {@code local.platform.marathon.offers.declined}, tagged with the app, and carries each
 * agent's reason with Marathon's names.
 */
@Component
class OfferMatcher {

	private static final String DECLINED = "local.platform.marathon.offers.declined";

	private final Agents agents;

	private final PortAllocator ports;

	private final MeterRegistry meters;

	private final List<String> defaultAcceptedRoles;

	OfferMatcher(Agents agents, PortAllocator ports, MeterRegistry meters, LocalPlatformProperties properties) {
		this.agents = agents;
		this.ports = ports;
		this.meters = meters;
		this.defaultAcceptedRoles = properties.defaultAcceptedResourceRoles();
	}

	/**
	 * Makes this tick's offers.
	 * @param apps the supervised apps, from a snapshot taken just before
	 * @param now the tick's time, as the change will see it
	 * @return the offers, to close once the change has taken what it launches with
	 */
	OfferRound offer(List<App> apps, Instant now) {
		Map<String, Integer> tasksPerHost = new HashMap<>();
		apps.forEach((app) -> app.tasks()
			.stream()
			.filter((task) -> !task.lost())
			.forEach((task) -> tasksPerHost.merge(task.agent().host(), 1, Integer::sum)));
		Map<String, OfferRound.AppOffers> offers = new HashMap<>();
		for (App app : apps) {
			int due = app.deleted() ? 0 : app.launchesDue(now);
			if (due == 0) {
				continue;
			}
			List<MesosAgent> placed = new ArrayList<>(placedInstances(app));
			Deque<OfferRound.Offer> offered = new ArrayDeque<>();
			List<OfferRound.Evaluation> evaluations = new ArrayList<>();
			String declined = null;
			for (int i = 0; i < due && declined == null; i++) {
				Map<String, String> reasons = new LinkedHashMap<>();
				OfferRound.Offer offer = null;
				for (MesosAgent agent : byFewestTasks(tasksPerHost)) {
					Match match = match(app, agent, placed);
					evaluations.add(new OfferRound.Evaluation(agent.host(), match.reason()));
					if (match.reason() == null) {
						offer = new OfferRound.Offer(agent, match.ports());
						break;
					}
					reasons.put(agent.host(), match.reason() + " (" + match.detail() + ")");
				}
				if (offer == null) {
					declined = describe(reasons);
					Counter.builder(DECLINED)
						.description("Launches no agent could offer: a role, constraint or host port not offered")
						.tag("app", app.id())
						.register(this.meters)
						.increment();
				}
				else {
					offered.add(offer);
					placed.add(offer.agent());
					tasksPerHost.merge(offer.agent().host(), 1, Integer::sum);
				}
			}
			offers.put(app.id(), new OfferRound.AppOffers(app.definition().version(), offered, declined, evaluations));
		}
		return new OfferRound(offers, this.ports);
	}

	/**
	 * The agents of the instances Marathon counts for constraints: those of the current
	 * configuration, being killed or not (an older configuration's are ignored, as their
	 * tasks make way for the new ones).
	 */
	static List<MesosAgent> placedInstances(App app) {
		String configVersion = app.definition().json().path("versionInfo").path("lastConfigChangeAt").asText("");
		return app.tasks()
			.stream()
			.filter((task) -> !task.lost() && !task.replaced() && task.version().compareTo(configVersion) >= 0)
			.map(Task::agent)
			.toList();
	}

	private List<MesosAgent> byFewestTasks(Map<String, Integer> tasksPerHost) {
		List<MesosAgent> all = this.agents.all();
		return all.stream()
			.filter(this.agents::running)
			.sorted(Comparator.comparingInt((MesosAgent agent) -> tasksPerHost.getOrDefault(agent.host(), 0))
				.thenComparingInt(all::indexOf))
			.toList();
	}

	/**
	 * Matches one offer of the agent, as Marathon's {@code ResourceMatcher} does: roles,
	 * the scalar resources (all unreserved here), constraints, then ports; the first
	 * reason of Marathon's funnel is the one reported.
	 */
	private Match match(App app, MesosAgent agent, List<MesosAgent> placed) {
		AppDefinition definition = app.definition();
		Set<String> accepted = acceptedRoles(definition);
		List<NoOfferMatchReason> reasons = new ArrayList<>();
		List<String> details = new ArrayList<>();
		boolean reservedAccepted = agent.reservedPorts().isPresent() && accepted.contains(agent.reservedRole());
		if (!accepted.contains("*") && !reservedAccepted) {
			reasons.add(NoOfferMatchReason.UnfulfilledRole);
			details.add("the agent offers roles " + agent.portsByRole().keySet() + ", the app accepts " + accepted);
		}
		List<JsonNode> unmet = Placement.unmet(definition.json().path("constraints"), definition.instances(), agent,
				placed);
		if (!unmet.isEmpty()) {
			reasons.add(NoOfferMatchReason.UnfulfilledConstraint);
			details.add("constraints not met: " + unmet);
		}
		if (!accepted.contains("*")) {
			// The agents' cpus, mem and disk are all unreserved.
			for (Map.Entry<String, NoOfferMatchReason> scalar : Map
				.of("cpus", NoOfferMatchReason.InsufficientCpus, "mem", NoOfferMatchReason.InsufficientMemory, "disk",
						NoOfferMatchReason.InsufficientDisk)
				.entrySet()) {
				if (definition.json().path(scalar.getKey()).asDouble(0) > 0) {
					reasons.add(scalar.getValue());
					details.add(scalar.getKey() + " are offered as role * only, which the app does not accept");
				}
			}
		}
		if (!reasons.isEmpty()) {
			NoOfferMatchReason first = reasons.stream().min(Comparator.naturalOrder()).orElseThrow();
			return new Match(first, details.get(reasons.indexOf(first)), null);
		}
		List<Integer> requested = definition.ports().stream().map(AppDefinition.PortSpec::hostPort).toList();
		for (int port : requested) {
			String refused = portRefusal(port, agent, accepted, reservedAccepted);
			if (refused != null) {
				return new Match(NoOfferMatchReason.InsufficientPorts, refused, null);
			}
		}
		try {
			return new Match(null, null, this.ports.reserve(requested, agent.unreserved()));
		}
		catch (PortsUnavailableException ex) {
			return new Match(NoOfferMatchReason.InsufficientPorts, ex.getMessage(), null);
		}
	}

	private static String portRefusal(int port, MesosAgent agent, Set<String> accepted, boolean reservedAccepted) {
		if (port == 0) {
			return accepted.contains("*") ? null
					: "dynamic host ports come from ports(*) only, which the app does not accept";
		}
		if (agent.unreserved().contains(port)) {
			return accepted.contains("*") ? null : "host port " + port
					+ " is in ports(*), which the app does not accept (acceptedResourceRoles " + accepted + ")";
		}
		if (agent.reservedPorts().filter((range) -> range.contains(port)).isPresent()) {
			return reservedAccepted ? null : "host port " + port + " is reserved for role " + agent.reservedRole()
					+ ", which the app does not accept (acceptedResourceRoles " + accepted + ")";
		}
		return "host port " + port + " is outside the agent's port resources " + agent.portsByRole()
				+ " (local-platform.task-port-min/max, local-platform.reserved-ports)";
	}

	Set<String> acceptedRoles(AppDefinition definition) {
		JsonNode roles = definition.json().path("acceptedResourceRoles");
		if (roles.isArray() && !roles.isEmpty()) {
			Set<String> accepted = new java.util.LinkedHashSet<>();
			roles.forEach((role) -> accepted.add(role.asText()));
			return accepted;
		}
		return new java.util.LinkedHashSet<>(this.defaultAcceptedRoles);
	}

	/**
	 * Every agent's reason, agents with the same reason named together.
	 */
	private static String describe(Map<String, String> reasons) {
		if (reasons.isEmpty()) {
			return "no agent is running (see GET /local-platform/agents)";
		}
		Map<String, List<String>> byReason = new LinkedHashMap<>();
		reasons.forEach((host, reason) -> byReason.computeIfAbsent(reason, (key) -> new ArrayList<>()).add(host));
		return byReason.entrySet()
			.stream()
			.map((entry) -> String.join(", ", entry.getValue()) + ": " + entry.getKey())
			.collect(Collectors.joining("; "));
	}

	private record Match(NoOfferMatchReason reason, String detail, List<Integer> ports) {

	}

}
