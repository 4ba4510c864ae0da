package io.github.redisonmesos.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} (the one on the {@code PATH}) for a test, on 127.0.0.1:
 * started either directly or through a shell command that ends in
 * {@code exec redis-server ...} (as a Mesos executor runs an app's {@code cmd}), and
 * ready once it answers {@code PING} as the test's user. Stopped with SIGTERM (Redis
 * writes its AOF and exits, as when Marathon stops a task) or SIGKILL (a host that dies).
 */
public final class RedisServerProcess implements AutoCloseable {

	static final String PROGRAM = "redis-server";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final int port;

	private final String user;

	private final String password;

	private final Path log;

	private RedisServerProcess(Process process, Launch launch) {
		this.process = process;
		this.port = launch.port;
		this.user = launch.user;
		this.password = launch.password;
		this.log = launch.log;
	}

	/**
	 * {@code redis-server --bind 127.0.0.1 --port <port>} and the given arguments.
	 * @param port the port, free on 127.0.0.1
	 * @param arguments further arguments ({@code --dir}, {@code --user}, ...)
	 * @return the launch, to complete and {@link Launch#start() start}
	 */
	public static Launch redisServer(int port, List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(PROGRAM, "--bind", "127.0.0.1", "--port", String.valueOf(port)));
		command.addAll(arguments);
		return new Launch(port, command);
	}

	/**
	 * {@code sh -c <command>}, for a command that runs {@code redis-server} itself on
	 * {@code port} (an app template's {@code cmd}); it should bind 127.0.0.1 only.
	 * @param port the port the command makes Redis listen on
	 * @param command the shell command
	 * @return the launch, to complete and {@link Launch#start() start}
	 */
	public static Launch shell(int port, String command) {
		return new Launch(port, List.of("sh", "-c", command));
	}

	public int port() {
		return this.port;
	}

	/**
	 * Whether the process runs and answers {@code PING}.
	 * @return {@code true} when Redis serves
	 */
	public boolean isUp() {
		return this.process.isAlive() && answersPing();
	}

	/**
	 * A connection as the launch's user, for the test to look at or change Redis behind
	 * the back of the code under test; the caller closes it.
	 * @return the connection
	 */
	public Jedis admin() {
		return new Jedis(new HostAndPort("127.0.0.1", this.port),
				DefaultJedisClientConfig.builder().user(this.user).password(this.password).timeoutMillis(500).build());
	}

	/**
	 * SIGTERM: Redis writes its AOF and exits, as when Marathon stops a task.
	 */
	public void stop() {
		this.process.destroy();
		waitForExit();
	}

	/**
	 * SIGKILL: Redis vanishes without a word, as when its host dies.
	 */
	public void kill() {
		this.process.destroyForcibly();
		waitForExit();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			stop();
		}
	}

	private void awaitReady() {
		await("redis-server on port " + this.port).atMost(START_TIMEOUT)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(this::answersPing);
	}

	private boolean answersPing() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("redis-server on port " + this.port + " exited with status "
					+ this.process.exitValue() + "; the end of " + this.log + ":\n" + logTail());
		}
		try (Jedis jedis = admin()) {
			return "PONG".equals(jedis.ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private void waitForExit() {
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The {@code redis-server} on a {@code PATH}.
	 * @param path the {@code PATH} to search
	 * @return the program
	 * @throws IllegalStateException naming what to install when there is none
	 */
	static Path findOnPath(String path) {
		for (String dir : path.split(File.pathSeparator)) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, PROGRAM))) {
				return Path.of(dir, PROGRAM);
			}
		}
		throw new IllegalStateException(PROGRAM + " is not on the PATH (" + path + "), and these tests run a real "
				+ "Redis: install it (Debian and Ubuntu: apt-get install redis-server; scripts/test installs it) "
				+ "and run them again");
	}

	/**
	 * What to start and how to reach it; {@link #start()} starts it and waits until it
	 * serves.
	 */
	public static final class Launch {

		private final int port;

		private final List<String> command;

		private final Map<String, String> environment = new LinkedHashMap<>();

		private Path directory;

		private Path log;

		private String user;

		private String password;

		private Launch(int port, List<String> command) {
			this.port = port;
			this.command = command;
		}

		/**
		 * The working directory ({@code redis-server} writes relative paths there).
		 * @param directory the directory
		 * @return this launch
		 */
		public Launch directory(Path directory) {
			this.directory = directory;
			return this;
		}

		/**
		 * A variable added to the environment the process inherits.
		 * @param name the variable
		 * @param value its value
		 * @return this launch
		 */
		public Launch environment(String name, String value) {
			this.environment.put(name, value);
			return this;
		}

		/**
		 * Where the process's output goes, appended; its end is in the error when Redis
		 * exits before it serves.
		 * @param log the log file
		 * @return this launch
		 */
		public Launch log(Path log) {
			this.log = log;
			return this;
		}

		/**
		 * Who {@link RedisServerProcess#admin()} and the readiness {@code PING}
		 * authenticate as: {@code null} for the {@code default} user, both {@code null}
		 * for no authentication.
		 * @param user the Redis user
		 * @param password its password
		 * @return this launch
		 */
		public Launch user(String user, String password) {
			this.user = user;
			this.password = password;
			return this;
		}

		/**
		 * Starts the process and waits until it answers {@code PING}.
		 * @return the running server
		 * @throws IllegalStateException when {@code redis-server} is not on the
		 * {@code PATH}, or exits before it serves (with the end of its log)
		 */
		public RedisServerProcess start() {
			if (this.log == null) {
				throw new IllegalStateException(
						"Give the launch a log file: it is where redis-server says why it " + "did not start");
			}
			findOnPath(System.getenv().getOrDefault("PATH", ""));
			ProcessBuilder builder = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
			if (this.directory != null) {
				builder.directory(this.directory.toFile());
			}
			builder.environment().putAll(this.environment);
			try {
				RedisServerProcess server = new RedisServerProcess(builder.start(), this);
				try {
					server.awaitReady();
				}
				catch (RuntimeException ex) {
					// a server that never served leaves nothing behind
					server.kill();
					throw ex;
				}
				return server;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start " + this.command.get(0), ex);
			}
		}

	}

}
