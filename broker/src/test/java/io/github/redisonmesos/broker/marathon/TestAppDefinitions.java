package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.core.io.ClassPathResource;

/**
 * Builds the shipped template renderer outside a Spring context.
 */
public final class TestAppDefinitions {

	private TestAppDefinitions() {
	}

	public static RedisAppDefinitions create() {
		return new RedisAppDefinitions(new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ClassPathResource("marathon/redis-app-template.json"), Duration.ofSeconds(1),
				Duration.ofSeconds(1)), new ObjectMapper());
	}

}
