package io.github.redisonmesos.broker.marathon;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.maintenance.NodeTemplates;

import org.springframework.stereotype.Component;

/**
 * {@link NodeTemplates} of the Marathon app templates: the digest of both templates as
 * rendered (so whitespace does not count, and the operator's accepted roles do), and the
 * Docker images they name.
 */
@Component
class MarathonNodeTemplates implements NodeTemplates {

	private final String digest;

	private final List<String> images;

	MarathonNodeTemplates(MarathonProperties properties, ObjectMapper objectMapper) {
		List<JsonNode> samples = new RedisAppDefinitions(properties, objectMapper).samples();
		this.digest = digest(samples);
		Set<String> images = new LinkedHashSet<>();
		for (JsonNode sample : samples) {
			String image = sample.path("container").path("docker").path("image").asText("");
			images.add(image.isEmpty() ? "(none: the command runs on the agent)" : image);
		}
		this.images = List.copyOf(images);
	}

	private static String digest(List<JsonNode> samples) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			for (JsonNode sample : samples) {
				sha256.update(sample.toString().getBytes(StandardCharsets.UTF_8));
				sha256.update((byte) '\n');
			}
			return "sha256:" + HexFormat.of().formatHex(sha256.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	@Override
	public String digest() {
		return this.digest;
	}

	@Override
	public List<String> images() {
		return this.images;
	}

}
