package io.github.redisonmesos.localplatform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.localplatform.server.ConsulConnector;
import io.github.redisonmesos.localplatform.server.LibStorageConnector;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.InProcessStarts;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A local platform started for a test on free loopback ports with its own state
 * directory, and plain HTTP helpers to talk to its two APIs. Most tests get one from
 * {@link PlatformExtension}; tests that restart it on the same state directory start and
 * close it themselves.
 */
final class RunningPlatform implements AutoCloseable {

	static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/**
	 * How many ports the agents of a test's platform offer its tasks: a range of its own
	 * ({@link FreePorts}), not the default 31000-32000 that the scripts' platforms (the
	 * benches and demos beside the Maven build, another checkout's) offer too, where a
	 * task of theirs could take a port between this platform's pick and its task's bind.
	 */
	static final int TASK_PORTS = 200;

	/** The first task port of each state directory: the same after a restart. */
	private static final Map<Path, Integer> taskPortMins = new ConcurrentHashMap<>();

	private final ConfigurableApplicationContext context;

	private final Path stateDir;

	private final String marathon;

	private final String consul;

	private final String libStorage;

	private RunningPlatform(ConfigurableApplicationContext context, Path stateDir) {
		this.context = context;
		this.stateDir = stateDir;
		this.marathon = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
		this.consul = "http://127.0.0.1:" + context.getBean(ConsulConnector.class).port();
		this.libStorage = "http://127.0.0.1:" + context.getBean(LibStorageConnector.class).port();
	}

	static RunningPlatform start(Path stateDir, String... moreArguments) {
		List<String> arguments = new ArrayList<>(List.of("--local-platform.marathon-port=0",
				"--local-platform.consul-port=0", "--local-platform.libstorage-port=0",
				"--local-platform.state-dir=" + stateDir, "--local-platform.supervision-interval=100ms"));
		arguments.addAll(taskPortArguments(stateDir));
		arguments.addAll(List.of(moreArguments));
		if (arguments.stream().noneMatch((argument) -> argument.startsWith("--local-platform.s3."))) {
			// S3Proxy is a JVM of its own: only the tests that use the store start it
			arguments.add("--local-platform.s3.enabled=false");
		}
		return new RunningPlatform(
				InProcessStarts.alone(() -> new SpringApplicationBuilder(LocalPlatformApplication.class)
					.run(arguments.toArray(String[]::new))),
				stateDir);
	}

	/**
	 * The settings that give a platform on this state directory its own task ports.
	 * @param stateDir the platform's state directory
	 * @return {@code --local-platform.task-port-min} and {@code -max}
	 */
	static List<String> taskPortArguments(Path stateDir) {
		int min = taskPortMin(stateDir);
		return List.of("--local-platform.task-port-min=" + min,
				"--local-platform.task-port-max=" + (min + TASK_PORTS - 1));
	}

	private static int taskPortMin(Path stateDir) {
		return taskPortMins.computeIfAbsent(stateDir.toAbsolutePath().normalize(),
				(dir) -> FreePorts.range(TASK_PORTS));
	}

	/**
	 * The ports the agents offer tasks, as they list them.
	 * @return {@code first-last}
	 */
	String taskPorts() {
		int min = taskPortMin(this.stateDir);
		return min + "-" + (min + TASK_PORTS - 1);
	}

	int taskPortMin() {
		return taskPortMin(this.stateDir);
	}

	int taskPortMax() {
		return taskPortMin(this.stateDir) + TASK_PORTS - 1;
	}

	String marathonUrl() {
		return this.marathon;
	}

	String consulUrl() {
		return this.consul;
	}

	HttpResponse<String> marathon(String method, String path, String body) {
		return send(method, this.marathon + path, body);
	}

	HttpResponse<String> consul(String method, String path, String body, String... headers) {
		return send(method, this.consul + path, body, headers);
	}

	HttpResponse<String> libStorage(String method, String path) {
		return send(method, this.libStorage + path, null);
	}

	/**
	 * Make an external volume as a task that mounts it would.
	 * @param name the volume's name
	 */
	void volume(String name) {
		try {
			Files.createDirectories(this.stateDir.resolve("volumes").resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The PID of a task's process, from the PID file the platform keeps for it ("pid
	 * start-time"), so tests can kill or inspect the task from outside.
	 */
	long taskPid(String taskId) {
		try {
			String pidFile = Files.readString(this.stateDir.resolve("pids").resolve(taskId + ".pid"));
			return Long.parseLong(pidFile.split(" ")[0]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static HttpResponse<String> send(String method, String url, String body, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (headers.length > 0) {
			builder.headers(headers);
		}
		HttpRequest request = builder.build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		try {
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Not JSON: " + response.body(), ex);
		}
	}

	/**
	 * A body from the contract fixtures ({@code contract-fixtures}).
	 * @param name the path under {@code contract/}, e.g.
	 * {@code marathon/error.404.app-not-found.json}
	 */
	static JsonNode fixture(String name) {
		return resource("contract/" + name);
	}

	/**
	 * A bean of the running platform, for tests that look at how it is wired (its
	 * routes).
	 */
	<T> T bean(String name, Class<T> type) {
		return this.context.getBean(name, type);
	}

	static JsonNode resource(String name) {
		try {
			return JSON.readTree(text(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String text(String name) {
		try (InputStream in = RunningPlatform.class.getResourceAsStream("/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No test resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static long consulIndex(HttpResponse<String> response) {
		return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
