package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments with which a test starts one of the project's jars in a JVM of its own.
 * {@code scripts/test} makes a class-data archive of each jar after packaging it
 * ({@code scripts/lib.sh}, {@code cds_prepare}: the jar extracted to {@code <name>-cds/},
 * its classes in {@code <name>-cds/app.jsa}) and exports {@code JAVA_CDS=on}: a start
 * then maps the classes instead of loading and verifying them, in about 40% less CPU
 * time. Anywhere else, or when the jar was built after its archive, the jar runs as it
 * is.
 */
public final class JavaJar {

	// C1 alone and the serial collector: a test's platform or broker mostly starts and
	// waits; C2's compiler threads and G1's would double a start's CPU time on 2 cores
	// (local platform, C1 and CDS: 1.7-1.8 CPU seconds; C2, G1 and no archive: 5.5-8)
	private static final List<String> SHORT_LIVED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private JavaJar() {
	}

	/**
	 * The JVM options of a short-lived JVM, then {@code -jar <jar>} or the extracted jar
	 * with its archive.
	 * @param jar a Spring Boot jar
	 * @return java's arguments that run it
	 */
	public static List<String> arguments(Path jar) {
		return arguments(jar, "on".equals(System.getenv("JAVA_CDS")));
	}

	static List<String> arguments(Path jar, boolean cds) {
		List<String> arguments = new ArrayList<>(SHORT_LIVED);
		String name = jar.getFileName().toString();
		// the archive holds the absolute class path it was made with (cds_prepare): a
		// relative or unnormalized one is another path, and the JVM silently runs without
		// it
		Path extracted = real(jar).resolveSibling(name.replaceFirst("\\.jar$", "") + "-cds");
		Path archive = extracted.resolve("app.jsa");
		if (cds && newer(archive, jar)) {
			arguments.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.resolve(name).toString()));
		}
		else {
			arguments.addAll(List.of("-jar", jar.toString()));
		}
		return arguments;
	}

	private static Path real(Path jar) {
		try {
			return jar.toRealPath();
		}
		catch (IOException ex) {
			return jar.toAbsolutePath().normalize();
		}
	}

	private static boolean newer(Path archive, Path jar) {
		try {
			return Files.isRegularFile(archive)
					&& Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
