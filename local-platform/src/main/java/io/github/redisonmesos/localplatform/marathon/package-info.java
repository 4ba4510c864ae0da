/**
 * The Marathon API v2 subset: app definitions, deployments honouring the upgrade
 * strategy, tasks launched on the agents' offers (roles, constraints, host ports) and
 * supervised with health checks and launch backoff, the launch queue, and the local
 * platform's own endpoints to stop and start agents.
 */
package io.github.redisonmesos.localplatform.marathon;
