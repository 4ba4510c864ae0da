package io.github.redisonmesos.localplatform.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.localplatform.LocalPlatformApplication;
import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.system.ApplicationHome;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs S3Proxy (a real S3 server, not a mock) with its filesystem backend under
 * {@code <state-dir>/s3/data}: objects, buckets and multipart uploads survive a restart
 * of the platform. Its credentials reach it through a properties file of mode 600, never
 * a command line.
 */
@Component
class S3ProxyProcess implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(S3ProxyProcess.class);

	private final S3Properties properties;

	private final Path dir;

	private volatile Process process;

	private volatile int port;

	S3ProxyProcess(S3Properties properties, LocalPlatformProperties platform) {
		this.properties = properties;
		this.dir = platform.absoluteStateDir().resolve("s3");
	}

	@Override
	public void start() {
		if (!this.properties.enabled()) {
			logger.info("s3.disabled");
			return;
		}
		try {
			Path data = Files.createDirectories(this.dir.resolve("data"));
			stopLeftOver();
			this.port = (this.properties.port() != 0) ? this.properties.port() : freePort();
			Path config = writeConfig(data, this.port);
			Path log = this.dir.resolve("s3proxy.log");
			List<String> command = List.of(javaCommand(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar().toString(),
					"--properties", config.toString());
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			Files.writeString(this.dir.resolve("s3proxy.pid"), Long.toString(this.process.pid()));
			awaitListening(log);
			logger.info("s3.ready s3Url=http://127.0.0.1:{} dataDir={} pid={}", this.port, data, this.process.pid());
		}
		catch (IOException ex) {
			stop();
			throw new UncheckedIOException("Cannot start S3Proxy in " + this.dir, ex);
		}
	}

	/**
	 * The store's URL, once started.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String url() {
		return "http://127.0.0.1:" + this.port;
	}

	private Path writeConfig(Path data, int port) throws IOException {
		Properties config = new Properties();
		config.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
		config.setProperty("s3proxy.authorization", "aws-v2-or-v4");
		config.setProperty("s3proxy.identity", this.properties.accessKeyId());
		config.setProperty("s3proxy.credential", this.properties.secretAccessKey());
		config.setProperty("jclouds.provider", "filesystem");
		config.setProperty("jclouds.filesystem.basedir", data.toString());
		Path file = this.dir.resolve("s3proxy.properties");
		Files.deleteIfExists(file);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
			config.store(out, "written by the local platform at each start");
		}
		return file;
	}

	private Path jar() {
		if (this.properties.jar() != null) {
			return this.properties.jar();
		}
		// The build copies it next to target/local-platform.jar; in the module's
		// tests, the home is the module's directory; the jar extracted for a class-data
		// archive (scripts/lib.sh, cds_prepare) lies in target/local-platform-cds/
		Path home = new ApplicationHome(LocalPlatformApplication.class).getDir().toPath();
		for (Path candidate : List.of(home.resolve("s3proxy/s3proxy.jar"), home.resolve("target/s3proxy/s3proxy.jar"),
				home.resolveSibling("s3proxy/s3proxy.jar"))) {
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("No S3Proxy jar next to " + home
				+ ": build local-platform (./mvnw -pl local-platform package) or set LOCAL_PLATFORM_S3_JAR");
	}

	private void awaitListening(Path log) throws IOException {
		Instant deadline = Instant.now().plus(this.properties.startupTimeout());
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IOException("S3Proxy exited with " + this.process.exitValue() + ", see " + log);
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
				return;
			}
			catch (IOException notYet) {
				try {
					this.process.waitFor(100, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException("Interrupted while S3Proxy started", ex);
				}
			}
		}
		throw new IOException("S3Proxy did not listen on " + this.port + " within " + this.properties.startupTimeout()
				+ ", see " + log);
	}

	/**
	 * A platform killed without its shutdown leaves S3Proxy running on the port: stop it
	 * before starting anew, as the platform stops left-over tasks.
	 */
	private void stopLeftOver() throws IOException {
		Path pidFile = this.dir.resolve("s3proxy.pid");
		if (!Files.isRegularFile(pidFile)) {
			return;
		}
		long pid = Long.parseLong(Files.readString(pidFile).trim());
		ProcessHandle.of(pid)
			.filter((handle) -> handle.info().commandLine().orElse("").contains("s3proxy"))
			.ifPresent((handle) -> {
				logger.info("s3.stop-left-over pid={}", pid);
				handle.destroyForcibly();
				handle.onExit().join();
			});
		Files.delete(pidFile);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String javaCommand() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	@Override
	public void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		running.destroy();
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
		logger.info("s3.stopped");
	}

	@Override
	public boolean isRunning() {
		Process running = this.process;
		return running != null && running.isAlive();
	}

}
