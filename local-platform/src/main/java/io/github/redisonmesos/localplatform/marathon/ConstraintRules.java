package io.github.redisonmesos.localplatform.marathon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Marathon's validator says about the values of {@code constraints}
 * ({@code SchedulingValidation.complyWithAppConstraintRules}); their shape (two or three
 * strings, a known operator) is the schema's. The local platform records constraints and
 * runs every task on its one host whatever they say.
 */
final class ConstraintRules {

	private ConstraintRules() {
	}

	static List<Map<String, Object>> check(JsonNode constraints) {
		List<Map<String, Object>> details = new ArrayList<>();
		int index = 0;
		for (JsonNode constraint : constraints) {
			String at = "/constraints(" + index++ + ")";
			String value = constraint.path(2).isTextual() ? constraint.get(2).asText() : null;
			String error = switch (constraint.path(1).asText()) {
				case "UNIQUE" -> (value != null) ? "Value specified but not used" : null;
				case "CLUSTER" -> (value == null) ? "Missing value" : null;
				case "GROUP_BY" -> (value != null && !isInt(value)) ? "Value was specified but is not a number" : null;
				case "MAX_PER" ->
					(value != null && !isInt(value)) ? "Value was not specified or is not a number" : null;
				case "LIKE", "UNLIKE" -> (value == null) ? "A regular expression value must be provided"
						: isPattern(value) ? null : "'" + value + "' is not a valid regular expression";
				default -> null;
			};
			if (error != null) {
				details.add(MarathonException.detail(at, error));
			}
		}
		return details;
	}

	private static boolean isInt(String value) {
		try {
			Integer.parseInt(value);
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private static boolean isPattern(String value) {
		try {
			Pattern.compile(value);
			return true;
		}
		catch (PatternSyntaxException ex) {
			return false;
		}
	}

}
