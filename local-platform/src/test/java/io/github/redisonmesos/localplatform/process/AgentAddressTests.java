package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The library that keeps a task on its agent's address, built with the machine's C
 * compiler: a program listening on all addresses under it is reached at the agent's
 * address only, and without a compiler the platform says so and changes nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class AgentAddressTests {

	@Test
	void aListenerOnAllAddressesIsReachedAtItsAgentsAddressOnly(@TempDir Path directory) throws Exception {
		AgentAddress agentAddress = new AgentAddress(directory, "cc");
		assertThat(agentAddress.enforced()).isTrue();
		Map<String, String> environment = new HashMap<>(Map.of("PATH", System.getenv("PATH")));
		agentAddress.confine(environment, "127.0.1.2");
		int port = FreePorts.next();
		ProcessBuilder builder = new ProcessBuilder(
				List.of("redis-server", "--port", Integer.toString(port), "--save", "", "--appendonly", "no"))
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile());
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process redis = builder.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> accepts("127.0.1.2", port));
			assertThat(accepts("127.0.1.1", port)).as("another agent's address").isFalse();
			assertThat(accepts("127.0.0.1", port)).as("127.0.0.1").isFalse();
		}
		finally {
			redis.destroy();
			redis.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void anAppsOwnPreloadComesAfterThePlatforms(@TempDir Path directory) {
		AgentAddress agentAddress = new AgentAddress(directory, "cc");
		Map<String, String> environment = new HashMap<>(Map.of("LD_PRELOAD", "/opt/app/own.so"));
		agentAddress.confine(environment, "127.0.1.3");
		assertThat(environment.get("LD_PRELOAD")).matches(".*/agent-address-[0-9a-f]{16}\\.so /opt/app/own\\.so");
		assertThat(environment).containsEntry("LOCAL_PLATFORM_AGENT_ADDRESS", "127.0.1.3");
	}

	@Test
	void aPlatformStartedAgainReusesItsBuild(@TempDir Path directory) throws IOException {
		new AgentAddress(directory, "cc");
		List<Path> built;
		try (var files = Files.list(directory)) {
			built = files.filter((file) -> file.getFileName().toString().endsWith(".so")).toList();
		}
		assertThat(built).hasSize(1);
		assertThat(new AgentAddress(directory, "no-such-compiler").enforced()).as("found, not built again").isTrue();
	}

	@Test
	void withoutACompilerThePlatformSaysSoAndLeavesTasksAlone(@TempDir Path directory, CapturedOutput output) {
		AgentAddress agentAddress = new AgentAddress(directory, "no-such-compiler");
		assertThat(agentAddress.enforced()).isFalse();
		Map<String, String> environment = new HashMap<>();
		agentAddress.confine(environment, "127.0.1.1");
		assertThat(environment).isEmpty();
		assertThat(output).contains("agent.address-not-enforced", "apt-get install gcc libc6-dev");
	}

	@Test
	void aFailingBuildIsReportedWithTheCompilersOutput(@TempDir Path directory, CapturedOutput output)
			throws IOException {
		Path failing = directory.resolve("failing-cc");
		Files.writeString(failing,
				"#!/bin/sh\necho 'fatal error: arpa/inet.h: No such file or directory' >&2\nexit 1\n");
		failing.toFile().setExecutable(true);
		assertThat(new AgentAddress(directory, failing.toString()).enforced()).isFalse();
		assertThat(output).contains("agent.address-not-enforced", "arpa/inet.h: No such file or directory");
	}

	private static boolean accepts(String host, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			return true;
		}
		catch (ConnectException ex) {
			return false;
		}
	}

}
