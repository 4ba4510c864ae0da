/**
 * The {@code ha} plan's nodes: readiness of a provisioned instance, the rolling update
 * and its choice of the next node ({@code HaRollingUpdate}), the nodes kept on agents of
 * their own, and the periodic watch of their roles.
 */
package io.github.redisonmesos.broker.instance.ha;
