package io.github.redisonmesos.localplatform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the local platform; environment variables such as
 * {@code LOCAL_PLATFORM_MARATHON_PORT} bind here too.
 *
 * @param marathonPort port of the Marathon API subset (0 picks a free port)
 * @param consulPort port of the Consul API subset (0 picks a free port)
 * @param stateDir directory for app definitions, KV data, volumes, sandboxes and PID
 * files
 * @param datacenter the Consul datacenter name reported by {@code /v1/agent/self}
 * @param supervisionInterval how often tasks are supervised and health checks fall due
 * @param taskPortMin the first host port handed to tasks
 * @param taskPortMax the last host port handed to tasks
 * @param libstoragePort port of the libStorage API subset over the external volumes (0
 * picks a free port); REX-Ray's default
 * @param libstorageRemoveDisabled whether a volume delete answers success and deletes
 * nothing, as REX-Ray with
 * {@code libstorage.integration.volume.operations.remove.disable: true}
 * @param agents how many Mesos agents run tasks, on {@code 127.0.1.1} to
 * {@code 127.0.1.N}
 * @param agentAttributes per agent (the first entry for the first agent), its attributes
 * in Mesos' {@code --attributes} syntax ({@code zone:zone-a;rack:r1}); an agent without
 * an entry gets {@code zone:zone-<a, b, c, ...>}
 * @param reservedPorts a port range every agent reserves statically for
 * {@code reservedRole} ({@code 33000-33999}), or empty for none
 * @param reservedRole the role of the reserved ports, Marathon's {@code --mesos_role}
 * @param defaultAcceptedResourceRoles Marathon's
 * {@code --default_accepted_resource_roles}: the roles an app without
 * {@code acceptedResourceRoles} accepts
 * @param keptSandboxes how many sandboxes of ended tasks (killed, failed, finished) stay
 * on disk, the newest, for their logs, as a Mesos agent keeps its sandboxes until its
 * garbage collection; 0 deletes each when its task ends
 */
@Validated
@ConfigurationProperties("local-platform")
public record LocalPlatformProperties(@DefaultValue("8080") @Min(0) @Max(65535) int marathonPort,
		@DefaultValue("8500") @Min(0) @Max(65535) int consulPort,
		@DefaultValue(".local-platform") @NotNull Path stateDir, @DefaultValue("dc1") @NotBlank String datacenter,
		@DefaultValue("250ms") @NotNull Duration supervisionInterval,
		// A Mesos agent's default port resource: below Linux's ephemeral range, so no
		// outgoing connection or port-0 listener takes a task's port between its pick
		// and the task's bind.
		@DefaultValue("31000") @Min(1) @Max(65535) int taskPortMin,
		@DefaultValue("32000") @Min(1) @Max(65535) int taskPortMax,
		@DefaultValue("7979") @Min(0) @Max(65535) int libstoragePort,
		@DefaultValue("false") boolean libstorageRemoveDisabled, @DefaultValue("3") @Min(1) @Max(254) int agents,
		@DefaultValue("") List<String> agentAttributes, @DefaultValue("") String reservedPorts,
		@DefaultValue("marathon") @NotBlank String reservedRole,
		@DefaultValue("*") List<String> defaultAcceptedResourceRoles, @DefaultValue("100") @Min(0) int keptSandboxes) {

	/**
	 * The state directory as an absolute path, so sandboxes and links do not depend on
	 * the working directory of a child process.
	 * @return the absolute state directory
	 */
	public Path absoluteStateDir() {
		return this.stateDir.toAbsolutePath().normalize();
	}

}
