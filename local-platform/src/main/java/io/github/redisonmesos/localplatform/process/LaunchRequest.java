package io.github.redisonmesos.localplatform.process;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one task as a local process.
 *
 * @param taskId the Mesos task id
 * @param appId the Marathon app id
 * @param appVersion the app version the task runs
 * @param cmd a shell command run with {@code /bin/sh -c}, or null when {@code args} is
 * given
 * @param args a command line run without a shell, or empty
 * @param env the app's environment
 * @param ports the host ports assigned to the task
 * @param portNames the names of the ports (null where unnamed)
 * @param volumes sandbox links to create before the start
 * @param host the address of the agent the task runs on ({@code HOST})
 * @param fetch the app's {@code fetch} artifacts, downloaded into the sandbox before the
 * command runs, as the Mesos fetcher does
 */
public record LaunchRequest(String taskId, String appId, String appVersion, String cmd, List<String> args,
		Map<String, String> env, List<Integer> ports, List<String> portNames, List<VolumeLink> volumes, String host,
		List<Artifact> fetch) {

	public LaunchRequest {
		fetch = (fetch != null) ? List.copyOf(fetch) : List.of();
	}

	/**
	 * A task without artifacts to fetch.
	 */
	public LaunchRequest(String taskId, String appId, String appVersion, String cmd, List<String> args,
			Map<String, String> env, List<Integer> ports, List<String> portNames, List<VolumeLink> volumes,
			String host) {
		this(taskId, appId, appVersion, cmd, args, env, ports, portNames, volumes, host, List.of());
	}

	/**
	 * One {@code fetch} entry of a Marathon app.
	 *
	 * @param uri where to download from ({@code http}, {@code https})
	 * @param destPath the file name in the sandbox ({@code destPath}, else the last path
	 * segment of the URI)
	 */
	public record Artifact(String uri, String destPath) {

	}

	/**
	 * A directory outside the sandbox linked into it.
	 *
	 * @param containerPath where the link goes, relative to the sandbox (a leading slash
	 * is dropped)
	 * @param externalName the external volume name, or null for a host path
	 * @param hostPath the host directory for a non-external volume, or null
	 */
	public record VolumeLink(String containerPath, String externalName, String hostPath) {

	}

}
