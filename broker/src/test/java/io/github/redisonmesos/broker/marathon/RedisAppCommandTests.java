package io.github.redisonmesos.broker.marathon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the rendered {@code cmd} the way a Mesos executor would (sh -c with PORT0,
 * MESOS_SANDBOX and the app's env) against Debian's real redis-server.
 */
class RedisAppCommandTests {

	private static final String PASSWORD = "Q2w9E8r7T6y5U4i3O2p1A0s9D8f7G6h5J4k3L2z1";

	@TempDir
	Path sandbox;

	private Process redis;

	@AfterEach
	void stopRedis() throws InterruptedException {
		if (this.redis != null) {
			this.redis.destroy();
			if (!this.redis.waitFor(10, TimeUnit.SECONDS)) {
				this.redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void renderedCommandRunsRedisWithPasswordMaxmemoryAndAppendOnlyFileOnTheVolume() throws Exception {
		JsonNode app = TestAppDefinitions.create()
			.render(new RedisApp("0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11", "s", "p", PASSWORD, 128, 0.1, "64mb", 1));
		Files.createDirectories(
				this.sandbox.resolve(app.path("container").path("volumes").get(0).path("containerPath").asText()));
		int port = freePort();
		// loopback only: the test must not listen on the machine's other interfaces
		String cmd = app.path("cmd").asText() + " --bind 127.0.0.1";
		ProcessBuilder builder = new ProcessBuilder("sh", "-c", cmd).directory(this.sandbox.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.sandbox.resolve("stdout").toFile());
		builder.environment().put("PORT0", Integer.toString(port));
		builder.environment().put("MESOS_SANDBOX", this.sandbox.toString());
		builder.environment().put("REDIS_PASSWORD", app.path("env").path("REDIS_PASSWORD").asText());
		this.redis = builder.start();

		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> send(port, "PING").size() == 1);
		assertThat(send(port, "PING")).containsExactly("-NOAUTH Authentication required.");
		assertThat(send(port, "AUTH " + PASSWORD, "CONFIG GET maxmemory")).containsExactly("+OK", "*2", "$9",
				"maxmemory", "$8", "67108864");
		assertThat(send(port, "AUTH " + PASSWORD, "CONFIG GET appendonly")).containsExactly("+OK", "*2", "$10",
				"appendonly", "$3", "yes");
		assertThat(send(port, "AUTH " + PASSWORD, "CONFIG GET dir"))
			.contains(this.sandbox.resolve("data").toRealPath().toString());
	}

	/** Send inline commands and read one RESP reply per command, flattened to lines. */
	private static List<String> send(int port, String... commands) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			for (String command : commands) {
				out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			List<String> lines = new ArrayList<>();
			for (int i = 0; i < commands.length; i++) {
				readReply(in, lines);
			}
			return lines;
		}
	}

	private static void readReply(BufferedReader in, List<String> lines) throws IOException {
		String line = in.readLine();
		lines.add(line);
		if (line.startsWith("$") && !line.equals("$-1")) {
			lines.add(in.readLine());
		}
		else if (line.startsWith("*")) {
			for (int i = 0; i < Integer.parseInt(line.substring(1)); i++) {
				readReply(in, lines);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
