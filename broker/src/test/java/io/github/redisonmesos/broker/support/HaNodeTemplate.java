package io.github.redisonmesos.broker.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HA node template (manifests/marathon/redis-ha-node-template.json) rendered as the
 * broker will: plain substitution of every {@code ${name}}, each value JSON-escaped.
 */
public final class HaNodeTemplate {

	private static final Path TEMPLATE = Path.of("..", "manifests", "marathon", "redis-ha-node-template.json");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

	private HaNodeTemplate() {
	}

	/**
	 * Render the template.
	 * @param values a value for each placeholder (docs/HA-NODE.md lists them)
	 * @return the app definition
	 * @throws IOException when the template cannot be read
	 * @throws IllegalArgumentException when a placeholder has no value
	 */
	public static JsonNode render(Map<String, String> values) throws IOException {
		Matcher matcher = PLACEHOLDER.matcher(Files.readString(TEMPLATE));
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			if (value == null) {
				throw new IllegalArgumentException("no value for ${" + matcher.group(1) + "}");
			}
			matcher.appendReplacement(rendered,
					Matcher.quoteReplacement(new String(JsonStringEncoder.getInstance().quoteAsString(value))));
		}
		matcher.appendTail(rendered);
		return new ObjectMapper().readTree(rendered.toString());
	}

}
