package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

	private JavaJar() {
	}

	/**
	 * {@code -jar <jar>}, or the extracted jar with its archive.
	 * @param jar a Spring Boot jar
	 * @return java's arguments that run it
	 */
	public static List<String> arguments(Path jar) {
		String name = jar.getFileName().toString();
		Path extracted = jar.resolveSibling(name.replaceFirst("\\.jar$", "") + "-cds");
		Path archive = extracted.resolve("app.jsa");
		if ("on".equals(System.getenv("JAVA_CDS")) && newer(archive, jar)) {
			return List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.resolve(name).toString());
		}
		return List.of("-jar", jar.toString());
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
