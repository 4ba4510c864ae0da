package io.github.redisonmesos.broker.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.marathon.TestAppDefinitions;
import io.github.redisonmesos.broker.security.Passwords;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/**
 * Debian's real redis-server, started the way a Mesos executor runs the shipped app
 * template ({@code sh -c <cmd>} with {@code PORT0}, {@code MESOS_SANDBOX} and the app's
 * {@code env}), on 127.0.0.1 and a free port, with its volume in a directory that
 * outlives a {@link #restart()}, which moves Redis to a new port as Marathon would.
 */
public final class TemplateRedis implements AutoCloseable {

	private final Path sandbox;

	private final JsonNode app;

	private final String adminPassword;

	private Process process;

	private int port;

	/**
	 * Start Redis for an instance.
	 * @param sandbox the task sandbox; its {@code data} directory is the volume
	 * @param instanceId the instance id
	 * @param adminPassword the admin password the broker holds
	 */
	public TemplateRedis(Path sandbox, String instanceId, String adminPassword) {
		this.sandbox = sandbox;
		this.adminPassword = adminPassword;
		this.app = TestAppDefinitions.render(new RedisDeployment(instanceId, "service", "plan", 128, 0.1, "64mb", 1,
				InstanceRecord.ADMIN_USER, Passwords.redisHash(adminPassword)));
		start();
	}

	private void start() {
		try {
			Files.createDirectories(this.sandbox
				.resolve(this.app.path("container").path("volumes").get(0).path("containerPath").asText()));
			this.port = freePort();
			// loopback only: the test must not listen on the machine's other interfaces
			String cmd = this.app.path("cmd").asText() + " --bind 127.0.0.1";
			ProcessBuilder builder = new ProcessBuilder("sh", "-c", cmd).directory(this.sandbox.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.sandbox.resolve("stdout").toFile()));
			builder.environment().put("PORT0", Integer.toString(this.port));
			builder.environment().put("MESOS_SANDBOX", this.sandbox.toString());
			for (Map.Entry<String, JsonNode> variable : this.app.path("env").properties()) {
				builder.environment().put(variable.getKey(), variable.getValue().asText());
			}
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start redis-server (apt-get install redis-server)", ex);
		}
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
			try (Jedis jedis = new Jedis("127.0.0.1", this.port)) {
				jedis.auth(InstanceRecord.ADMIN_USER, this.adminPassword);
				return "PONG".equals(jedis.ping());
			}
		});
	}

	/** The rendered app definition this Redis runs. */
	public JsonNode app() {
		return this.app;
	}

	public RedisEndpoint endpoint() {
		return new RedisEndpoint("127.0.0.1", this.port);
	}

	public int port() {
		return this.port;
	}

	public Path volume() {
		return this.sandbox.resolve("data");
	}

	/** Stop Redis and start it again, with the same volume, on a new port. */
	public void restart() {
		stop();
		start();
	}

	private void stop() {
		if (this.process != null) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
