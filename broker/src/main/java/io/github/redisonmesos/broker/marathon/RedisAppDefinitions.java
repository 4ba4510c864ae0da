package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/**
 * Renders the Redis app definition from the configured template. Placeholders are
 * {@code ${name}}; values are JSON-escaped, so a template puts string placeholders inside
 * quotes and numeric ones without. Shell variables such as {@code $PORT0} have no braces
 * and are left alone.
 */
@Component
public class RedisAppDefinitions {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

	private final String template;

	private final String group;

	private final ObjectMapper objectMapper;

	RedisAppDefinitions(MarathonProperties properties, ObjectMapper objectMapper) {
		this.group = properties.group();
		this.objectMapper = objectMapper;
		try (InputStream in = properties.appTemplate().getInputStream()) {
			this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Marathon app template " + properties.appTemplate()
					+ "; check broker.marathon.app-template.", ex);
		}
	}

	/**
	 * The Marathon app id of an instance.
	 * @param instanceId the OSB instance id
	 * @return {@code /<group>/<instance-id>}
	 */
	public String appId(String instanceId) {
		return "/" + this.group + "/" + instanceId;
	}

	/**
	 * Render the app definition.
	 * @param app the values
	 * @return the definition to send to Marathon
	 */
	public JsonNode render(RedisApp app) {
		Map<String, String> values = app.placeholders(appId(app.instanceId()));
		Matcher matcher = PLACEHOLDER.matcher(this.template);
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			if (value == null) {
				throw new IllegalStateException("The Marathon app template uses ${" + matcher.group(1)
						+ "}, which the broker does not know; known placeholders are " + values.keySet() + ".");
			}
			String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
			matcher.appendReplacement(rendered, Matcher.quoteReplacement(escaped));
		}
		matcher.appendTail(rendered);
		try {
			return this.objectMapper.readTree(rendered.toString());
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The Marathon app template is not valid JSON once rendered: "
					+ ex.getOriginalMessage() + "; check broker.marathon.app-template.");
		}
	}

}
