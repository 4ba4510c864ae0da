package io.github.redisonmesos.localplatform;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.redisonmesos.localplatform.state.DurableFiles;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link RunningPlatform} on a fresh temporary state directory for a whole test
 * class ({@link #perClass()}) or for each test ({@link #perTest()}), then stops it, with
 * every process it started, and deletes the directory. Register it in a static field with
 * {@code @RegisterExtension}; tests talk to the platform through it.
 */
final class PlatformExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	private final boolean perTest;

	private Path stateDir;

	private RunningPlatform platform;

	private final String[] arguments;

	private PlatformExtension(boolean perTest, String... arguments) {
		this.perTest = perTest;
		this.arguments = arguments;
	}

	/**
	 * One platform shared by the tests of a class, which therefore must not depend on
	 * each other's apps or keys.
	 * @param settings extra settings, such as
	 * {@code --local-platform.reserved-ports=33000-33099} or
	 * {@code --local-platform.consul-acl=deny}
	 */
	static PlatformExtension perClass(String... settings) {
		return new PlatformExtension(false, settings);
	}

	/**
	 * A new platform for each test, for tests that start processes or inspect the state
	 * directory.
	 * @param settings extra settings
	 */
	static PlatformExtension perTest(String... settings) {
		return new PlatformExtension(true, settings);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		if (!this.perTest) {
			start();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		if (this.perTest) {
			start();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		if (this.perTest) {
			stop();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		if (!this.perTest) {
			stop();
		}
	}

	private void start() throws IOException {
		this.stateDir = Files.createTempDirectory("local-platform-");
		this.platform = RunningPlatform.start(this.stateDir, this.arguments);
	}

	private void stop() throws IOException {
		try {
			// Null when start failed; the state directory still goes.
			if (this.platform != null) {
				this.platform.close();
			}
		}
		finally {
			this.platform = null;
			if (this.stateDir != null) {
				DurableFiles.deleteTree(this.stateDir);
				this.stateDir = null;
			}
		}
	}

	/**
	 * The platform itself, for helpers shared with tests that start it themselves.
	 */
	RunningPlatform running() {
		return this.platform;
	}

	Path stateDir() {
		return this.stateDir;
	}

	HttpResponse<String> marathon(String method, String path, String body) {
		return this.platform.marathon(method, path, body);
	}

	HttpResponse<String> consul(String method, String path, String body) {
		return this.platform.consul(method, path, body);
	}

	long taskPid(String taskId) {
		return this.platform.taskPid(taskId);
	}

	/**
	 * A port of the platform's task range that nothing listens on now, on any address
	 * (tasks listen on their agents' addresses).
	 * @param besides ports not to return
	 */
	int freeTaskPort(Integer... besides) {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current()
				.nextInt(this.platform.taskPortMin(), this.platform.taskPortMax() + 1);
			if (List.of(besides).contains(port)) {
				continue;
			}
			try (ServerSocket probe = new ServerSocket(port)) {
				return probe.getLocalPort();
			}
			catch (IOException ex) {
				// Taken: try another.
			}
		}
		throw new IllegalStateException("No free port in " + this.platform.taskPorts());
	}

}
