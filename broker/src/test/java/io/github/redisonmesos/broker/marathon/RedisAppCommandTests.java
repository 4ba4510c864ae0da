package io.github.redisonmesos.broker.marathon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.support.TemplateRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the rendered {@code cmd} the way a Mesos executor would (sh -c with PORT0,
 * MESOS_SANDBOX and the app's env) against Debian's real redis-server, and talks to it
 * over raw RESP.
 */
class RedisAppCommandTests {

	private static final String PASSWORD = "Q2w9E8r7T6y5U4i3O2p1A0s9D8f7G6h5J4k3L2z1";

	@TempDir
	Path sandbox;

	@Test
	void renderedCommandRunsRedisWithMaxmemoryAndAppendOnlyFileOnTheVolumeAndTheDefaultUserOff() throws Exception {
		try (TemplateRedis redis = new TemplateRedis(this.sandbox, "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11", PASSWORD)) {
			int port = redis.port();
			assertThat(send(port, "PING")).containsExactly("-NOAUTH Authentication required.");
			assertThat(send(port, "AUTH default anything")).first().asString().startsWith("-WRONGPASS");
			String admin = "AUTH osb-admin " + PASSWORD;
			assertThat(send(port, admin, "CONFIG GET maxmemory")).containsExactly("+OK", "*2", "$9", "maxmemory", "$8",
					"67108864");
			assertThat(send(port, admin, "CONFIG GET appendonly")).containsExactly("+OK", "*2", "$10", "appendonly",
					"$3", "yes");
			assertThat(send(port, admin, "CONFIG GET dir")).contains(redis.volume().toRealPath().toString());
			// the ACL file is on the volume, readable by its owner only, and holds no
			// password
			Path acl = redis.volume().resolve("users.acl");
			assertThat(Files.getPosixFilePermissions(acl)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
					PosixFilePermission.OWNER_WRITE);
			assertThat(Files.readString(acl)).contains("user default off")
				.contains("user osb-admin on #" + Passwords.redisHash(PASSWORD))
				.doesNotContain(PASSWORD);
		}
	}

	@Test
	void usersSavedToTheAclFileSurviveARestartWhichNeverOpensTheDefaultUser() throws Exception {
		try (TemplateRedis redis = new TemplateRedis(this.sandbox, "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11", PASSWORD)) {
			String admin = "AUTH osb-admin " + PASSWORD;
			assertThat(send(redis.port(), admin, "ACL SETUSER app on >app-password ~* +@all", "ACL SAVE"))
				.containsExactly("+OK", "+OK", "+OK");
			redis.restart();
			assertThat(send(redis.port(), "AUTH app app-password", "INCR n")).containsExactly("+OK", ":1");
			assertThat(send(redis.port(), "PING")).containsExactly("-NOAUTH Authentication required.");
			assertThat(send(redis.port(), admin, "ACL GETUSER default")).contains("off");
		}
	}

	@Test
	void transactionsAndScriptsSurviveARestartThroughTheAppendOnlyFile() throws Exception {
		try (TemplateRedis redis = new TemplateRedis(this.sandbox, "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11", PASSWORD)) {
			String admin = "AUTH osb-admin " + PASSWORD;
			assertThat(send(redis.port(), admin, "ACL SETUSER app on >app-password ~* +@all -@dangerous", "ACL SAVE"))
				.containsExactly("+OK", "+OK", "+OK");
			String app = "AUTH app app-password";
			send(redis.port(), app, "EVAL \"redis.call('INCR', 'c'); return redis.call('SET', 'm', '1')\" 0");
			send(redis.port(), app, "MULTI", "INCR c", "EXEC");
			redis.restart();
			// Redis replays the file as the default user: a default user without
			// permissions would drop both (redis/redis#14541)
			assertThat(send(redis.port(), app, "GET c")).containsExactly("+OK", "$1", "2");
		}
	}

	@Test
	void theAdminPasswordIsNeverOnACommandLine() throws Exception {
		try (TemplateRedis redis = new TemplateRedis(this.sandbox, "0b9e3c1e-8f7a-4c43-9a43-5d1c2f1e0a11", PASSWORD)) {
			// the command and its environment carry the hash only; Redis never sees more
			assertThat(redis.app().path("cmd").asText()).doesNotContain(PASSWORD);
			assertThat(redis.app().path("env").toString()).doesNotContain(PASSWORD);
			try (var processes = Files.list(Path.of("/proc"))) {
				assertThat(processes.filter((dir) -> Files.exists(dir.resolve("cmdline")))
					.map(RedisAppCommandTests::cmdline)).noneMatch((line) -> line.contains(PASSWORD));
			}
		}
	}

	private static String cmdline(Path process) {
		try {
			return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			// the process ended while the list was read
			return "";
		}
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

}
