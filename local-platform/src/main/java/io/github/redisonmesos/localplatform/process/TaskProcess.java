package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task's running process with its sandbox.
 */
public final class TaskProcess {

	private static final int STDERR_TAIL_BYTES = 400;

	private final Process process;

	private final Path sandbox;

	private final Map<String, String> environment;

	private final Runnable cleanup;

	// Shutdown and the exit handler may both clean up; only the first one does.
	private final AtomicBoolean cleaned = new AtomicBoolean();

	TaskProcess(Process process, Path sandbox, Map<String, String> environment, Runnable cleanup) {
		this.process = process;
		this.sandbox = sandbox;
		this.environment = environment;
		this.cleanup = cleanup;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Completes with the exit code once the process has ended.
	 * @return the exit code to come
	 */
	public CompletableFuture<Integer> onExit() {
		return this.process.onExit().thenApply(Process::exitValue);
	}

	/**
	 * Asks the process and everything it started to stop (SIGTERM), as Mesos does before
	 * the kill grace period ends.
	 */
	public void terminate() {
		ProcessTrees.signal(this.process.toHandle(), false);
	}

	/**
	 * Kills the process and everything it started (SIGKILL).
	 */
	public void kill() {
		ProcessTrees.signal(this.process.toHandle(), true);
	}

	/**
	 * The end of the task's stderr, to say why it failed.
	 * @return the last lines of stderr, possibly empty
	 */
	public String stderrTail() {
		Path stderr = this.sandbox.resolve("stderr");
		try {
			byte[] bytes = Files.readAllBytes(stderr);
			int from = Math.max(0, bytes.length - STDERR_TAIL_BYTES);
			return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * Runs a {@code COMMAND} health check in the task's sandbox and environment.
	 * @param command the shell command
	 * @param timeout how long it may take
	 * @return whether it exited with 0 in time
	 */
	public boolean runCheck(String command, Duration timeout) {
		List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", command));
		ProcessBuilder builder = new ProcessBuilder(line).directory(this.sandbox.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		builder.environment().clear();
		builder.environment().putAll(this.environment);
		try {
			Process check = builder.start();
			if (!check.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				ProcessTrees.signal(check.toHandle(), true);
				return false;
			}
			return check.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Removes the sandbox and the PID file once the process has ended. Volumes are links
	 * in the sandbox and are left untouched.
	 */
	public void cleanUp() {
		if (this.cleaned.compareAndSet(false, true)) {
			this.cleanup.run();
		}
	}

}
