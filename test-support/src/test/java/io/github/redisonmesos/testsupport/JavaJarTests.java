package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The arguments a test starts a jar with: the archive and the extracted jar by their
 * absolute paths (a JVM started in another directory otherwise runs without the archive),
 * only when the archive is newer than the jar.
 */
class JavaJarTests {

	@TempDir
	Path dir;

	@Test
	void aJarNamedRelativelyRunsFromTheArchiveByAbsolutePaths() throws IOException {
		Path jar = jarWithArchive(Instant.now().minusSeconds(60), Instant.now());
		Path relative = Path.of("").toAbsolutePath().relativize(jar);
		Path extracted = jar.toRealPath().resolveSibling("app-cds");

		assertThat(JavaJar.arguments(relative, true)).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-XX:SharedArchiveFile=" + extracted.resolve("app.jsa"), "-jar",
				extracted.resolve("app.jar").toString());
	}

	@Test
	void anArchiveOlderThanItsJarIsNotUsed() throws IOException {
		Path jar = jarWithArchive(Instant.now(), Instant.now().minusSeconds(60));

		assertThat(JavaJar.arguments(jar, true)).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
				jar.toString());
	}

	@Test
	void withoutJavaCdsTheJarRunsAsItIs() throws IOException {
		Path jar = jarWithArchive(Instant.now().minusSeconds(60), Instant.now());

		assertThat(JavaJar.arguments(jar, false)).endsWith("-jar", jar.toString());
	}

	private Path jarWithArchive(Instant jarTime, Instant archiveTime) throws IOException {
		Path jar = Files.writeString(this.dir.resolve("app.jar"), "jar");
		Path extracted = Files.createDirectories(this.dir.resolve("app-cds"));
		Files.writeString(extracted.resolve("app.jar"), "jar");
		Path archive = Files.writeString(extracted.resolve("app.jsa"), "archive");
		Files.setLastModifiedTime(jar, FileTime.from(jarTime));
		Files.setLastModifiedTime(archive, FileTime.from(archiveTime));
		return jar;
	}

}
