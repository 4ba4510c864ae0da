/**
 * Maintenance versions: the version each plan advertises as {@code maintenance_info}, the
 * node templates it stands for, and what a request's version asks of an instance.
 */
package io.github.redisonmesos.broker.maintenance;
