package io.github.redisonmesos.localplatform.libstorage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The external volumes as a storage provider lists them: each directory under
 * {@code <state-dir>/volumes} is a volume whose name is the directory's and whose id is
 * the provider's own ({@code vol-} and 16 hex digits of the name's SHA-256), so a client
 * that takes a name for an id fails here as it would on REX-Ray.
 */
@Component
class ExternalVolumes {

	private static final Logger logger = LoggerFactory.getLogger(ExternalVolumes.class);

	private final Path root;

	private final boolean removeDisabled;

	ExternalVolumes(LocalPlatformProperties properties) {
		this.root = properties.absoluteStateDir().resolve("volumes");
		this.removeDisabled = properties.libstorageRemoveDisabled();
	}

	/**
	 * A volume as libStorage describes it.
	 *
	 * @param id the provider's id
	 * @param name the name apps mount it by
	 */
	record Volume(String id, String name) {

	}

	List<Volume> list() {
		if (!Files.isDirectory(this.root)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(this.root)) {
			return entries.filter((entry) -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))
				.map((entry) -> entry.getFileName().toString())
				.sorted()
				.map((name) -> new Volume(idOf(name), name))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + this.root, ex);
		}
	}

	/**
	 * Remove a volume and its data, or, with removal disabled, only say so.
	 * @param id the volume's id
	 * @return whether a volume had that id
	 */
	boolean remove(String id) {
		Optional<Volume> found = list().stream().filter((volume) -> volume.id().equals(id)).findFirst();
		if (found.isEmpty()) {
			return false;
		}
		if (this.removeDisabled) {
			// REX-Ray with libstorage.integration.volume.operations.remove.disable
			logger.info("libstorage.remove-disabled volume={}", found.get().name());
			return true;
		}
		try {
			DurableFiles.deleteTree(this.root.resolve(found.get().name()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot remove volume " + found.get().name(), ex);
		}
		logger.info("libstorage.removed volume={}", found.get().name());
		return true;
	}

	static String idOf(String name) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
			return "vol-" + HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
