package io.github.redisonmesos.localplatform.marathon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.localplatform.agents.MesosAgent;

/**
 * Whether an agent's offer meets an app's {@code constraints}, as Marathon's
 * {@code mesosphere.mesos.Constraints.meetsConstraint} decides it against the app's
 * instances already placed ({@code hostname} or an attribute with {@code UNIQUE},
 * {@code CLUSTER}, {@code GROUP_BY}, {@code MAX_PER}, {@code LIKE}, {@code UNLIKE},
 * {@code IS}).
 */
final class Placement {

	private Placement() {
	}

	/**
	 * The constraints the agent does not meet.
	 * @param constraints the app's constraints
	 * @param instances the app's instance count
	 * @param agent the agent that offers
	 * @param placed the agents of the app's instances already placed (of its current
	 * configuration), one entry per instance
	 * @return the unmet constraints, empty when the offer may be used
	 */
	static List<JsonNode> unmet(JsonNode constraints, int instances, MesosAgent agent, List<MesosAgent> placed) {
		return java.util.stream.StreamSupport.stream(constraints.spliterator(), false)
			.filter((constraint) -> !meets(constraint, instances, agent, placed))
			.toList();
	}

	static boolean meets(JsonNode constraint, int instances, MesosAgent agent, List<MesosAgent> placed) {
		String field = constraint.path(0).asText();
		String operator = constraint.path(1).asText();
		String value = constraint.path(2).isTextual() ? constraint.get(2).asText() : "";
		Optional<String> offered = agent.field(field);
		if (offered.isEmpty()) {
			// Only UNLIKE matches an agent without the field.
			return "UNLIKE".equals(operator);
		}
		String offerValue = offered.get();
		List<Optional<String>> placedValues = placed.stream().map((other) -> other.field(field)).toList();
		return switch (operator) {
			case "UNIQUE" -> placedValues.stream().noneMatch(offered::equals);
			case "CLUSTER" -> value.isEmpty() ? placedValues.stream().findFirst().map(offered::equals).orElse(true)
					: offerValue.equals(value);
			case "LIKE" -> !value.isEmpty() && offerValue.matches(value);
			case "UNLIKE" -> !value.isEmpty() && !offerValue.matches(value);
			case "IS" -> offerValue.equals(value);
			case "MAX_PER" -> placedValues.stream().filter(offered::equals).count() < Integer.parseInt(value);
			case "GROUP_BY" -> groupBy(offerValue, value, instances, placedValues);
			default -> true;
		};
	}

	// Marathon's checkGroupBy, as it is (the desired count per group is the instance
	// count divided by the groups, with the remainder spread).
	private static boolean groupBy(String offerValue, String value, int instances, List<Optional<String>> placed) {
		int groups = Math.max(0, value.isEmpty() ? 0 : intValue(value));
		int desiredInstances = placed.isEmpty() ? 1 : instances;
		Map<Optional<String>, Integer> perGroup = new HashMap<>();
		placed.forEach((group) -> perGroup.merge(group, 1, Integer::sum));
		if (groups == 0) {
			// Marathon 1.10 divides by zero here; any group, and the spread over agents
			// with the fewest tasks keeps the groups even.
			return true;
		}
		int desiredPerGroup = desiredInstances / groups;
		int remainder = desiredInstances % groups;
		int remainderConsumed = perGroup.values()
			.stream()
			.mapToInt((count) -> Math.max(0, count - desiredPerGroup))
			.sum();
		Integer count = perGroup.entrySet()
			.stream()
			.filter((entry) -> Objects.equals(entry.getKey().orElse(null), offerValue))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
		if (count != null) {
			return count < desiredPerGroup || (count == desiredPerGroup && remainder - remainderConsumed > 0);
		}
		return perGroup.size() < groups;
	}

	private static int intValue(String value) {
		if ("inf".equals(value)) {
			return Integer.MAX_VALUE;
		}
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
