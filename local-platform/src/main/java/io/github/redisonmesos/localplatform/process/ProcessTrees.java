package io.github.redisonmesos.localplatform.process;

import java.util.List;

/**
 * Signals a process and all its descendants: a shell command may have started children
 * that would otherwise outlive the task.
 */
final class ProcessTrees {

	private ProcessTrees() {
	}

	static void signal(ProcessHandle root, boolean force) {
		// Collect the tree before signalling: once the root dies its children are
		// re-parented and no longer found as descendants.
		List<ProcessHandle> tree = root.descendants().toList();
		send(root, force);
		tree.forEach((handle) -> send(handle, force));
	}

	private static void send(ProcessHandle handle, boolean force) {
		if (force) {
			handle.destroyForcibly();
		}
		else {
			handle.destroy();
		}
	}

}
