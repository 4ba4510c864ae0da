/**
 * The Marathon API v2 subset: app definitions, deployments honouring the upgrade
 * strategy, tasks launched on the one agent's offers of host ports (required ones
 * included) and supervised with health checks and launch backoff.
 */
package io.github.redisonmesos.localplatform.marathon;
