/**
 * The Marathon API v2 subset: app definitions, deployments honouring the upgrade
 * strategy, tasks supervised with health checks and launch backoff.
 */
package io.github.redisonmesos.localplatform.marathon;
