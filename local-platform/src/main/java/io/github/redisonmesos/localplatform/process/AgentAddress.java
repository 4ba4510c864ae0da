package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps each task's listening sockets on its agent's address, as if every agent were a
 * host of its own: the agents are addresses of one machine (127.0.1.N), where a task
 * listening on all addresses would be reachable at every agent's address, a stopped
 * agent's included. On a real cluster, a connection to a stopped agent's address reaches
 * nothing; here it reached whichever task had taken the same port on another agent (a
 * Sentinel took such a task for the replica it had known there, and turned the new
 * primary into a replica of itself).
 * <p>
 * At start the platform builds {@code agent-address.c} (a {@code bind} that binds the
 * agent's address where all addresses were asked for, and refuses another agent's) with
 * the machine's C compiler into {@code <state-dir>/native}; every task runs with it
 * preloaded ({@code LD_PRELOAD}) and its agent's address in
 * {@code LOCAL_PLATFORM_AGENT_ADDRESS}. Without a C compiler ({@code cc}), the platform
 * says so at start and its tasks listen where they ask (all addresses: every agent's).
 */
@Component
public class AgentAddress {

	private static final Logger logger = LoggerFactory.getLogger(AgentAddress.class);

	private static final String SOURCE = "agent-address.c";

	private static final long COMPILE_SECONDS = 60;

	private final Path library;

	@Autowired
	AgentAddress(LocalPlatformProperties properties) {
		this(properties.absoluteStateDir().resolve("native"), "cc");
	}

	/**
	 * Builds the library with the given compiler.
	 * @param directory where the library is built (and found again)
	 * @param compiler the C compiler's command
	 */
	AgentAddress(Path directory, String compiler) {
		this.library = build(directory, compiler).orElse(null);
		if (this.library != null) {
			logger.info("agent.address-enforced library={}", this.library);
		}
	}

	/**
	 * Whether tasks are kept on their agents' addresses.
	 * @return {@code false} when the library could not be built
	 */
	public boolean enforced() {
		return this.library != null;
	}

	/**
	 * Keeps a task on its agent's address: adds the library to its environment, before a
	 * preload of the app's own.
	 * @param environment the task's environment, changed
	 * @param agentAddress the task's agent's address
	 */
	void confine(Map<String, String> environment, String agentAddress) {
		if (this.library != null) {
			environment.merge("LD_PRELOAD", this.library.toString(), (app, platform) -> platform + " " + app);
			environment.put("LOCAL_PLATFORM_AGENT_ADDRESS", agentAddress);
		}
	}

	private static Optional<Path> build(Path directory, String compiler) {
		try {
			byte[] source = source();
			// Named by the source's digest: a platform started again reuses its build.
			String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source), 0, 8);
			Path library = directory.resolve("agent-address-" + digest + ".so");
			if (Files.isRegularFile(library)) {
				return Optional.of(library);
			}
			DurableFiles.createDirectories(directory, true);
			Path sourceFile = directory.resolve(SOURCE);
			Files.write(sourceFile, source);
			Path built = directory.resolve(library.getFileName() + ".new");
			Path output = directory.resolve("cc.log");
			Process cc = new ProcessBuilder(
					List.of(compiler, "-shared", "-fPIC", "-O2", "-o", built.toString(), sourceFile.toString(), "-ldl"))
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!cc.waitFor(COMPILE_SECONDS, TimeUnit.SECONDS)) {
				cc.destroyForcibly();
			}
			if (cc.isAlive() || cc.exitValue() != 0) {
				logger.warn(
						"agent.address-not-enforced reason=\"{} failed: {}\" "
								+ "effect=\"a task listening on all addresses is reachable at every agent's address\"",
						compiler, Files.readString(output, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " "));
				return Optional.empty();
			}
			Files.move(built, library, StandardCopyOption.REPLACE_EXISTING);
			return Optional.of(library);
		}
		catch (IOException ex) {
			logger.warn("agent.address-not-enforced reason=\"{}\" effect=\"a task listening on all addresses is "
					+ "reachable at every agent's address; install a C compiler (apt-get install gcc libc6-dev)\"",
					ex.getMessage());
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] source() throws IOException {
		try (InputStream in = AgentAddress.class.getResourceAsStream(SOURCE)) {
			if (in == null) {
				throw new IOException(SOURCE + " is missing from the platform's jar");
			}
			return in.readAllBytes();
		}
	}

}
