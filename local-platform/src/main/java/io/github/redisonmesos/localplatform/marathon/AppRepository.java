package io.github.redisonmesos.localplatform.marathon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * App definitions under {@code <state-dir>/marathon/apps}, one file per app, so a
 * restarted local platform runs the same apps (as Marathon keeps them in ZooKeeper).
 */
@Component
class AppRepository {

	private static final Logger logger = LoggerFactory.getLogger(AppRepository.class);

	private final Path dir;

	private final ObjectMapper objectMapper;

	AppRepository(LocalPlatformProperties properties, ObjectMapper objectMapper) {
		this.dir = properties.absoluteStateDir().resolve("marathon").resolve("apps");
		this.objectMapper = objectMapper;
	}

	List<AppDefinition> loadAll() {
		List<AppDefinition> definitions = new ArrayList<>();
		if (!Files.isDirectory(this.dir)) {
			return definitions;
		}
		try (Stream<Path> files = Files.list(this.dir)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".json")).toList()) {
				definitions.add(AppDefinition.of((ObjectNode) this.objectMapper.readTree(file.toFile())));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read app definitions in " + this.dir, ex);
		}
		logger.info("apps.loaded count={}", definitions.size());
		return definitions;
	}

	/**
	 * Stores a definition durably; it can hold secrets (the app's {@code env}), so the
	 * file is readable by the owner only.
	 * @throws UncheckedIOException when it cannot be stored; the previous definition is
	 * then still in place
	 */
	void save(AppDefinition definition) {
		try {
			DurableFiles.write(file(definition.id()),
					this.objectMapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(definition.json()), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the definition of " + definition.id(), ex);
		}
	}

	void delete(String appId) {
		try {
			DurableFiles.delete(file(appId));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete the definition of " + appId, ex);
		}
	}

	private Path file(String appId) {
		return this.dir.resolve(URLEncoder.encode(appId, StandardCharsets.UTF_8) + ".json");
	}

}
