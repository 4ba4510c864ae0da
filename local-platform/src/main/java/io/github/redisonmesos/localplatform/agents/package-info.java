/**
 * The Mesos agents of the local platform: their addresses, attributes, port resources and
 * whether they run.
 */
package io.github.redisonmesos.localplatform.agents;
