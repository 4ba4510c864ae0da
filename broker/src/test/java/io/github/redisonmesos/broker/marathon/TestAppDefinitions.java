package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.RedisDeployment;

import org.springframework.core.io.ClassPathResource;

/**
 * Renders the shipped app template outside a Spring context.
 */
public final class TestAppDefinitions {

	private TestAppDefinitions() {
	}

	static RedisAppDefinitions create() {
		return new RedisAppDefinitions(properties(), new ObjectMapper());
	}

	static MarathonProperties properties() {
		return new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ClassPathResource("marathon/redis-app-template.json"),
				new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(1),
				Duration.ofSeconds(1), "");
	}

	/**
	 * The app definition the broker sends for a deployment.
	 * @param deployment the deployment
	 * @return the rendered shipped template
	 */
	public static JsonNode render(RedisDeployment deployment) {
		return create().render(deployment);
	}

}
