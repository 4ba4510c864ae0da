package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.maintenance.NodeTemplates;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

/**
 * Renders the shipped app template outside a Spring context.
 */
public final class TestAppDefinitions {

	/** The Redis settings of {@link #ha}: none of them Redis's defaults. */
	public static final RedisSettings HA_SETTINGS = new RedisSettings("volatile-lru", "Egx", "always", 3600);

	private TestAppDefinitions() {
	}

	static RedisAppDefinitions create() {
		return new RedisAppDefinitions(properties(), new ObjectMapper());
	}

	/**
	 * The node templates of the shipped HA node template and an app template.
	 * @param appTemplate the app template's text
	 * @return their digest and images
	 */
	public static NodeTemplates nodeTemplates(String appTemplate) {
		return new MarathonNodeTemplates(new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ByteArrayResource(appTemplate.getBytes(StandardCharsets.UTF_8)),
				new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(1),
				Duration.ofSeconds(1), "", List.of()), new ObjectMapper());
	}

	static MarathonProperties properties() {
		return new MarathonProperties(URI.create("http://127.0.0.1:1"), "osb-redis",
				new ClassPathResource("marathon/redis-app-template.json"),
				new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(1),
				Duration.ofSeconds(1), "", List.of());
	}

	/**
	 * The shipped app template as operators copy it.
	 * @return its text
	 */
	public static String shippedTemplate() {
		try (InputStream in = new ClassPathResource("marathon/redis-app-template.json").getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The shipped HA node template as operators copy it.
	 * @return its text
	 */
	static String shippedHaNodeTemplate() {
		try (InputStream in = new ClassPathResource("marathon/redis-ha-node-template.json").getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The app definition the broker sends for a deployment.
	 * @param deployment the deployment
	 * @return the rendered shipped template
	 */
	public static JsonNode render(RedisDeployment deployment) {
		return create().render(deployment);
	}

	/**
	 * The app definition the broker sends for one node of an HA instance.
	 * @param deployment the deployment, with its {@code ha} part
	 * @param node the node's index
	 * @return the rendered shipped HA node template
	 */
	public static JsonNode renderNode(RedisDeployment deployment, int node) {
		return create().renderNode(deployment, node);
	}

	/**
	 * The app definition of one node of an HA instance with TLS on, whose fetch URIs are
	 * {@code http://broker.example/tls/v1/instances/<id>/nodes/<n>/delivery?token=test}.
	 * @param deployment the deployment, with its {@code ha} part and TLS on
	 * @param node the node's index
	 * @return the rendered shipped HA node template
	 */
	public static JsonNode renderNodeWithTls(RedisDeployment deployment, int node) {
		return new RedisAppDefinitions(properties(), new ObjectMapper(),
				(String instanceId, OptionalInt index) -> "http://broker.example/tls/v1/instances/" + instanceId
						+ "/nodes/" + index.getAsInt() + "/delivery?token=test")
			.renderNode(deployment, node);
	}

	/**
	 * An HA deployment of the shipped templates' sizes, with test settings.
	 * @param instanceId the instance id
	 * @param adminPasswordSha256 SHA-256 of the admin password
	 * @param ha the HA part
	 * @return the deployment
	 */
	public static RedisDeployment ha(String instanceId, String adminPasswordSha256, HaDeployment ha) {
		return RedisDeployment.builder(instanceId, "service", "ha")
			.resources(128, 0.1, "64mb", 1)
			.admin("osb-admin", adminPasswordSha256)
			.ha(ha)
			.settings(HA_SETTINGS)
			.build();
	}

}
