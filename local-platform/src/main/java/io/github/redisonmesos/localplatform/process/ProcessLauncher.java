package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Starts task commands in sandboxes under {@code <state-dir>/sandboxes}, links external
 * volumes from {@code <state-dir>/volumes}, and records each PID (with its start time, so
 * a reused PID is never mistaken for a task) under {@code <state-dir>/pids}. The sandbox
 * of an ended task stays, with its {@code stdout} and {@code stderr}, until more than
 * {@code local-platform.kept-sandboxes} ended tasks' sandboxes are kept: then the oldest
 * go, as a Mesos agent's garbage collection removes old sandboxes.
 */
@Component
public class ProcessLauncher {

	private static final Logger logger = LoggerFactory.getLogger(ProcessLauncher.class);

	// What a task inherits from the platform's own environment; everything else is
	// Mesos'.
	private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER");

	private static final Duration SWEEP_GRACE = Duration.ofSeconds(5);

	private final Path sandboxes;

	private final Path volumes;

	private final Path pids;

	private final VolumeAttachments attachments;

	private final AgentAddress agentAddress;

	private final Fetcher fetcher = new Fetcher();

	private final int keptSandboxes;

	// The sandboxes of tasks that run: never pruned.
	private final Set<Path> running = ConcurrentHashMap.newKeySet();

	ProcessLauncher(LocalPlatformProperties properties, VolumeAttachments attachments, AgentAddress agentAddress) {
		this.attachments = attachments;
		this.agentAddress = agentAddress;
		this.keptSandboxes = properties.keptSandboxes();
		Path stateDir = properties.absoluteStateDir();
		this.sandboxes = stateDir.resolve("sandboxes");
		this.volumes = stateDir.resolve("volumes");
		this.pids = stateDir.resolve("pids");
	}

	/**
	 * Starts a task.
	 * @param request what to run
	 * @return the running process
	 * @throws IOException when the sandbox or the process cannot be created
	 */
	public TaskProcess launch(LaunchRequest request) throws IOException {
		for (LaunchRequest.VolumeLink volume : request.volumes()) {
			if (volume.externalName() != null) {
				try {
					this.attachments.attach(volume.externalName(), request.host(), request.taskId());
				}
				catch (IOException ex) {
					this.attachments.detach(request.taskId());
					throw ex;
				}
			}
		}
		try {
			return start(request);
		}
		catch (IOException | RuntimeException ex) {
			this.attachments.detach(request.taskId());
			throw ex;
		}
	}

	private TaskProcess start(LaunchRequest request) throws IOException {
		Path sandbox = this.sandboxes.resolve(request.taskId());
		this.running.add(sandbox);
		try {
			return start(request, sandbox);
		}
		catch (IOException | RuntimeException ex) {
			this.running.remove(sandbox);
			throw ex;
		}
	}

	private TaskProcess start(LaunchRequest request, Path sandbox) throws IOException {
		// Owner-only: app files (and the environment's secrets in /proc) are the task's.
		DurableFiles.createDirectories(sandbox, true);
		for (LaunchRequest.VolumeLink volume : request.volumes()) {
			link(sandbox, volume);
		}
		try {
			this.fetcher.fetch(sandbox, request.fetch());
		}
		catch (IOException ex) {
			deleteTree(sandbox);
			throw ex;
		}
		Map<String, String> environment = environment(request, sandbox);
		List<String> command = (request.cmd() != null) ? List.of("/bin/sh", "-c", request.cmd()) : request.args();
		ProcessBuilder builder = new ProcessBuilder(TaskGate.gated(command)).directory(sandbox.toFile())
			.redirectOutput(sandbox.resolve("stdout").toFile())
			.redirectError(sandbox.resolve("stderr").toFile());
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process process = builder.start();
		Path pidFile = this.pids.resolve(request.taskId() + ".pid");
		try {
			// Durable before the command may run: a platform killed from here on leaves a
			// record that the next start sweeps.
			DurableFiles.write(pidFile,
					(process.pid() + " " + startMillis(process.toHandle()).orElse(0L)).getBytes(StandardCharsets.UTF_8),
					false);
			TaskGate.open(process);
		}
		catch (IOException ex) {
			process.destroyForcibly();
			deleteQuietly(pidFile);
			throw ex;
		}
		logger.info("task.launched taskId={} appId={} pid={} ports={}", request.taskId(), request.appId(),
				process.pid(), request.ports());
		return new TaskProcess(process, sandbox, environment, () -> {
			deleteQuietly(pidFile);
			ended(sandbox);
			this.attachments.detach(request.taskId());
		});
	}

	// Keeps the sandbox of a task that ended (its logs: what a failed run needs) and
	// deletes the oldest kept ones beyond the bound.
	private synchronized void ended(Path sandbox) {
		this.running.remove(sandbox);
		try {
			Files.setLastModifiedTime(sandbox, FileTime.from(Instant.now()));
		}
		catch (IOException ex) {
			// gone already, or never made: nothing to keep
		}
		List<Path> kept;
		try (Stream<Path> all = Files.list(this.sandboxes)) {
			kept = all.filter((dir) -> !this.running.contains(dir))
				.sorted(Comparator.comparing(ProcessLauncher::lastModified).reversed())
				.toList();
		}
		catch (IOException ex) {
			logger.warn("cleanup.failed path={}", this.sandboxes);
			return;
		}
		kept.stream().skip(this.keptSandboxes).forEach(ProcessLauncher::deleteTree);
	}

	private static FileTime lastModified(Path path) {
		try {
			return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return FileTime.fromMillis(0);
		}
	}

	/**
	 * Stops every process a previous run recorded and that still runs, and clears old
	 * sandboxes: a killed predecessor must not leave an orphan holding a volume.
	 */
	public void sweepOrphans() {
		List<ProcessHandle> orphans = new ArrayList<>();
		try (Stream<Path> files = Files.exists(this.pids) ? Files.list(this.pids) : Stream.empty()) {
			for (Path file : files.toList()) {
				recorded(file).ifPresent(orphans::add);
				deleteQuietly(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read PID files in " + this.pids, ex);
		}
		orphans.forEach((orphan) -> {
			logger.warn("orphan.stopping pid={}", orphan.pid());
			ProcessTrees.signal(orphan, false);
		});
		Instant deadline = Instant.now().plus(SWEEP_GRACE);
		for (ProcessHandle orphan : orphans) {
			try {
				orphan.onExit()
					.get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
							java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				ProcessTrees.signal(orphan, true);
			}
		}
		deleteTree(this.sandboxes);
	}

	private Optional<ProcessHandle> recorded(Path file) {
		try {
			String[] fields = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
			long pid = Long.parseLong(fields[0]);
			long startMillis = Long.parseLong(fields[1]);
			return ProcessHandle.of(pid)
				.filter(ProcessHandle::isAlive)
				.filter((handle) -> startMillis == 0 || startMillis(handle).map((s) -> s == startMillis).orElse(true));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("orphan.unreadable file={}", file.getFileName());
			return Optional.empty();
		}
	}

	private Map<String, String> environment(LaunchRequest request, Path sandbox) {
		Map<String, String> env = new LinkedHashMap<>();
		INHERITED.forEach((name) -> {
			String value = System.getenv(name);
			if (value != null) {
				env.put(name, value);
			}
		});
		env.putAll(request.env());
		List<Integer> ports = request.ports();
		for (int i = 0; i < ports.size(); i++) {
			env.put("PORT" + i, Integer.toString(ports.get(i)));
			String name = request.portNames().get(i);
			if (name != null && !name.isEmpty()) {
				env.put("PORT_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
						Integer.toString(ports.get(i)));
			}
		}
		if (!ports.isEmpty()) {
			env.put("PORT", Integer.toString(ports.get(0)));
		}
		env.put("PORTS", ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
		env.put("HOST", request.host());
		env.put("MESOS_SANDBOX", sandbox.toString());
		env.put("MESOS_DIRECTORY", sandbox.toString());
		env.put("MESOS_TASK_ID", request.taskId());
		env.put("MARATHON_APP_ID", request.appId());
		env.put("MARATHON_APP_VERSION", request.appVersion());
		this.agentAddress.confine(env, request.host());
		return env;
	}

	private void link(Path sandbox, LaunchRequest.VolumeLink volume) throws IOException {
		Path target = (volume.externalName() != null) ? this.volumes.resolve(volume.externalName())
				: Path.of(volume.hostPath());
		// External volumes hold the service's data (and soon its ACL file): owner-only.
		DurableFiles.createDirectories(target, volume.externalName() != null);
		Path link = sandbox.resolve(volume.containerPath().replaceFirst("^/+", ""));
		Files.createDirectories(link.getParent());
		Files.createSymbolicLink(link, target);
	}

	private static Optional<Long> startMillis(ProcessHandle handle) {
		return handle.info().startInstant().map(Instant::toEpochMilli);
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("cleanup.failed path={}", file);
		}
	}

	// Walks without following links, so a volume linked into a sandbox is never emptied.
	private static void deleteTree(Path root) {
		try {
			DurableFiles.deleteTree(root);
		}
		catch (IOException ex) {
			logger.warn("cleanup.failed path={}", root);
		}
	}

}
