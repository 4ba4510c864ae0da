package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a task's command back until the platform has recorded its PID: the process starts
 * as a shell that waits for one line on its standard input and only then {@code exec}s
 * the command (keeping its PID). Should the platform die before it opens the gate, the
 * pipe closes, the shell reads end-of-file and exits without running anything, so no task
 * can outlive a platform that did not record it.
 */
final class TaskGate {

	/** The exit status of a task whose gate was never opened. */
	static final int NEVER_OPENED = 97;

	private static final String SCRIPT = "read -r opened || exit " + NEVER_OPENED + "; exec \"$@\"";

	private TaskGate() {
	}

	/**
	 * The gated command line.
	 * @param command the task's command (program and arguments)
	 * @return the command line that waits for the gate first
	 */
	static List<String> gated(List<String> command) {
		List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "local-platform-task"));
		line.addAll(command);
		return line;
	}

	/**
	 * Lets the command run; its standard input is at end-of-file from then on.
	 * @param process a process started with {@link #gated(List)}
	 * @throws IOException when the process has already gone
	 */
	static void open(Process process) throws IOException {
		try (OutputStream in = process.getOutputStream()) {
			in.write('\n');
		}
	}

}
