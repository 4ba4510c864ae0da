/**
 * Runs task commands as real local processes: sandboxes, Mesos-style environment,
 * external volumes as links, free and required host ports, each task listening on its
 * agent's address only
 * ({@link io.github.redisonmesos.localplatform.process.AgentAddress}), PID files, orphan
 * sweeping, health probes.
 */
package io.github.redisonmesos.localplatform.process;
