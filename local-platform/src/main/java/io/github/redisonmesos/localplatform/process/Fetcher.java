package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * What the Mesos fetcher does for a Marathon app's {@code fetch}: before the task's
 * command runs, each URI is downloaded into the sandbox under its {@code destPath}
 * (Marathon's {@code Artifact}, fixtures {@code marathon/raml/v2/types/artifact.raml}); a
 * download that fails fails the launch (Mesos: the task fails before it runs). Only
 * http(s), without extraction or cache (what the broker's apps use). The query of a URI
 * (which may carry a token) is never in a message.
 */
class Fetcher {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	void fetch(Path sandbox, List<LaunchRequest.Artifact> artifacts) throws IOException {
		for (LaunchRequest.Artifact artifact : artifacts) {
			URI uri = URI.create(artifact.uri());
			String shown = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
				throw new IOException("Failed to fetch '" + shown + "': only http and https are fetched here");
			}
			Path target = sandbox.resolve(artifact.destPath()).normalize();
			if (artifact.destPath().isEmpty() || !target.startsWith(sandbox) || target.equals(sandbox)) {
				throw new IOException("Failed to fetch '" + shown + "': destPath must name a file in the sandbox");
			}
			// streamed to the file: a restore's backup may be larger than this JVM's heap
			HttpResponse<InputStream> response;
			try {
				response = this.http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
						HttpResponse.BodyHandlers.ofInputStream());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Failed to fetch '" + shown + "': interrupted", ex);
			}
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw new IOException(
							"Failed to fetch '" + shown + "': the server answered " + response.statusCode());
				}
				Files.createDirectories(target.getParent());
				// the sandbox is the task's own: the file too
				Files.deleteIfExists(target);
				Files.createFile(target,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
				try (OutputStream out = Files.newOutputStream(target)) {
					body.transferTo(out);
				}
			}
		}
	}

}
