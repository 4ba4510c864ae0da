package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.testsupport.FreePorts;

import static org.awaitility.Awaitility.await;

/**
 * local-platform's jar run as a process, as scripts/demo runs it: Marathon's and Consul's
 * APIs on free loopback ports, Marathon apps as real processes (a real redis-server).
 */
final class LocalPlatform implements AutoCloseable {

	private final Process process;

	private final int marathonPort;

	private final int consulPort;

	private final HttpClient http = HttpClient.newHttpClient();

	LocalPlatform(Path stateDir) throws IOException {
		String jar = System.getProperty("local-platform.jar", "../local-platform/target/local-platform.jar");
		if (!Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl broker -am verify "
					+ "builds local-platform before the broker)");
		}
		this.marathonPort = FreePorts.next();
		this.consulPort = FreePorts.next();
		this.process = new ProcessBuilder("java", "-jar", jar, "--local-platform.marathon-port=" + this.marathonPort,
				"--local-platform.consul-port=" + this.consulPort, "--local-platform.state-dir=" + stateDir)
			.redirectErrorStream(true)
			.redirectOutput(stateDir.resolveSibling("local-platform.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> get(marathon("/ping")).statusCode() == 200);
	}

	String marathon(String path) {
		return "http://127.0.0.1:" + this.marathonPort + path;
	}

	String consul(String path) {
		return "http://127.0.0.1:" + this.consulPort + path;
	}

	HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		// SIGTERM: the platform stops every task it started
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
