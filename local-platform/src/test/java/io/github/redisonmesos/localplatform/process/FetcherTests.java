package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Mesos fetcher as the local platform does it: each {@code fetch} URI into the
 * sandbox under its {@code destPath} before the command runs, a failed download failing
 * the launch without the URI's query (a token) in the message.
 */
class FetcherTests {

	@TempDir
	Path sandbox;

	private HttpServer server;

	@BeforeEach
	void serve() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/delivery", (exchange) -> {
			boolean known = "token=right".equals(exchange.getRequestURI().getQuery());
			byte[] body = (known ? "the delivered file" : "no").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(known ? 200 : 404, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void anArtifactLandsInTheSandboxUnderItsDestPathForTheTaskAlone() throws IOException {
		new Fetcher().fetch(this.sandbox, List.of(new LaunchRequest.Artifact(uri("right"), "tls-delivery.pem")));
		Path fetched = this.sandbox.resolve("tls-delivery.pem");
		assertThat(fetched).hasContent("the delivered file");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fetched))).isEqualTo("rw-------");
	}

	@Test
	void aFailedDownloadFailsTheLaunchWithoutTheQueryInTheMessage() {
		assertThatThrownBy(() -> new Fetcher().fetch(this.sandbox,
				List.of(new LaunchRequest.Artifact(uri("secret-token"), "tls-delivery.pem"))))
			.isInstanceOf(IOException.class)
			.hasMessageContaining("Failed to fetch")
			.hasMessageContaining("404")
			.hasMessageNotContaining("secret-token");
		assertThat(this.sandbox.resolve("tls-delivery.pem")).doesNotExist();
	}

	@Test
	void aDestPathOutsideTheSandboxOrAnotherSchemeIsRefused() {
		assertThatThrownBy(() -> new Fetcher().fetch(this.sandbox,
				List.of(new LaunchRequest.Artifact(uri("right"), "../outside.pem"))))
			.hasMessageContaining("destPath must name a file in the sandbox");
		assertThatThrownBy(() -> new Fetcher().fetch(this.sandbox,
				List.of(new LaunchRequest.Artifact("file:///etc/passwd", "passwd"))))
			.hasMessageContaining("only http and https");
	}

	private String uri(String token) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/delivery?token=" + token;
	}

}
