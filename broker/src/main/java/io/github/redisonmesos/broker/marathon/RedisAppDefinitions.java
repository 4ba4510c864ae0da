package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.ServiceNames;

/**
 * Renders the Redis app definition from the configured template. Placeholders are
 * {@code ${name}}; values are JSON-escaped, so a template puts string placeholders inside
 * quotes and numeric ones without. Shell variables such as {@code $PORT0} have no braces
 * and are left alone. The template is rendered once at start-up, so a template that uses
 * an unknown placeholder or is not JSON stops the broker with the reason.
 */
class RedisAppDefinitions {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");

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
		render(new RedisDeployment("check", "check", "check", 1, 1.0, "1mb", 1, "check", "0".repeat(64)));
		if (properties.redisPortRange().isPresent() && !this.template.contains("${port}")) {
			throw new IllegalStateException("broker.marathon.redis-ports is set, but the Marathon app template does "
					+ "not use ${port} (with \"requirePorts\": ${requirePorts}), so instances would not get their "
					+ "own port; put both in the template's portDefinitions, as the shipped template does, or unset "
					+ "BROKER_MARATHON_REDIS_PORTS.");
		}
	}

	/**
	 * The Marathon app id of an instance.
	 * @param instanceId the OSB instance id
	 * @return {@code /<group>/<instance-id>}
	 */
	String appId(String instanceId) {
		return "/" + this.group + "/" + instanceId;
	}

	String group() {
		return this.group;
	}

	/**
	 * Render the app definition.
	 * @param deployment the values
	 * @return the definition to send to Marathon
	 */
	JsonNode render(RedisDeployment deployment) {
		Map<String, String> values = placeholders(deployment);
		Matcher matcher = PLACEHOLDER.matcher(this.template);
		StringBuilder rendered = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			if (value == null) {
				throw new IllegalStateException("The Marathon app template uses ${" + matcher.group(1)
						+ "}, which the broker does not know; known placeholders are " + values.keySet()
						+ " (the admin password reaches Redis as ${adminPasswordSha256} only).");
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

	private Map<String, String> placeholders(RedisDeployment deployment) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("appId", appId(deployment.instanceId()));
		values.put("instanceId", deployment.instanceId());
		values.put("serviceId", deployment.serviceId());
		values.put("planId", deployment.planId());
		values.put("consulService", ServiceNames.of(deployment.instanceId()));
		values.put("adminUser", deployment.adminUser());
		values.put("adminPasswordSha256", deployment.adminPasswordSha256());
		values.put("mem", Integer.toString(deployment.memMb()));
		values.put("cpus", Double.toString(deployment.cpus()));
		values.put("maxmemory", deployment.maxmemory());
		values.put("volumeName", "osb-redis-" + deployment.instanceId());
		values.put("volumeSize", Integer.toString(deployment.volumeGb()));
		values.put("port", Integer.toString(deployment.port()));
		values.put("requirePorts", Boolean.toString(deployment.fixedPort()));
		return values;
	}

}
