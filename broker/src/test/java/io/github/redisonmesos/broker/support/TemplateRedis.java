package io.github.redisonmesos.broker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.marathon.TestAppDefinitions;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;

/**
 * Debian's real redis-server, started the way a Mesos executor runs the shipped app
 * template ({@code sh -c <cmd>} with {@code PORT0}, {@code MESOS_SANDBOX} and the app's
 * {@code env}), on 127.0.0.1 and a free port, with its volume in a directory that
 * outlives a {@link #restart()}, which moves Redis to a new port as Marathon would. The
 * process itself is test-support's {@link RedisServerProcess}.
 */
public final class TemplateRedis implements AutoCloseable {

	private final Path sandbox;

	private final JsonNode app;

	private final String adminPassword;

	private RedisServerProcess redis;

	/**
	 * Start Redis for an instance.
	 * @param sandbox the task sandbox; its {@code data} directory is the volume
	 * @param instanceId the instance id
	 * @param adminPassword the admin password the broker holds
	 */
	public TemplateRedis(Path sandbox, String instanceId, String adminPassword) {
		this.sandbox = sandbox;
		this.adminPassword = adminPassword;
		this.app = TestAppDefinitions.render(RedisDeployment.builder(instanceId, "service", "plan")
			.resources(128, 0.1, "64mb", 1)
			.admin(InstanceRecord.ADMIN_USER, Passwords.redisHash(adminPassword))
			.build());
		start();
	}

	private void start() {
		try {
			Files.createDirectories(this.sandbox
				.resolve(this.app.path("container").path("volumes").get(0).path("containerPath").asText()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int port = FreePorts.next();
		// loopback only: the test must not listen on the machine's other interfaces
		RedisServerProcess.Launch launch = RedisServerProcess
			.shell(port, this.app.path("cmd").asText() + " --bind 127.0.0.1")
			.directory(this.sandbox)
			.environment("PORT0", Integer.toString(port))
			.environment("MESOS_SANDBOX", this.sandbox.toString())
			.log(this.sandbox.resolve("stdout"))
			.user(InstanceRecord.ADMIN_USER, this.adminPassword);
		for (Map.Entry<String, JsonNode> variable : this.app.path("env").properties()) {
			launch.environment(variable.getKey(), variable.getValue().asText());
		}
		this.redis = launch.start();
	}

	/** The rendered app definition this Redis runs. */
	public JsonNode app() {
		return this.app;
	}

	public RedisEndpoint endpoint() {
		return new RedisEndpoint("127.0.0.1", port());
	}

	public int port() {
		return this.redis.port();
	}

	public Path volume() {
		return this.sandbox.resolve("data");
	}

	/** Stop Redis and start it again, with the same volume, on a new port. */
	public void restart() {
		this.redis.stop();
		start();
	}

	@Override
	public void close() {
		this.redis.close();
	}

}
