package io.github.redisonmesos.counter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/**
 * A real Debian {@code redis-server} on 127.0.0.1, with its data (AOF) in a directory the
 * test owns, so a second server on the same directory continues the same data.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final String REDIS_SERVER = "/usr/bin/redis-server";

	private final Process process;

	private final int port;

	private final RedisAuth auth;

	private final Path log;

	private RedisServerProcess(Process process, int port, RedisAuth auth, Path log) {
		this.process = process;
		this.port = port;
		this.auth = auth;
		this.log = log;
	}

	public static RedisServerProcess start(Path dataDir, int port, RedisAuth auth) {
		List<String> command = new ArrayList<>(List.of(REDIS_SERVER, "--bind", "127.0.0.1", "--port",
				String.valueOf(port), "--dir", dataDir.toString(), "--appendonly", "yes", "--save", "", "--daemonize",
				"no", "--protected-mode", "yes"));
		command.addAll(auth.serverArguments());
		try {
			Path log = dataDir.resolve("redis-" + port + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			RedisServerProcess server = new RedisServerProcess(process, port, auth, log);
			await("redis-server on port " + port).atMost(Duration.ofSeconds(10)).until(server::answersPing);
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public boolean isUp() {
		return this.process.isAlive() && answersPing();
	}

	private boolean answersPing() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("redis-server on port " + this.port + " exited: " + logTail());
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
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * A connection with every right, for the test to look at or change Redis behind the
	 * app's back; the caller closes it.
	 * @return the connection
	 */
	public Jedis admin() {
		return new Jedis(new HostAndPort("127.0.0.1", this.port),
				DefaultJedisClientConfig.builder()
					.user(this.auth.adminUser())
					.password(this.auth.adminPassword())
					.timeoutMillis(500)
					.build());
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

	private void waitForExit() {
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			stop();
		}
	}

}
