/**
 * The OSB operations on service instances: provision, last_operation, get, update and
 * deprovision, each driven from the instance record ({@code OperationDriver}), so any
 * broker finishes what another began.
 */
package io.github.redisonmesos.broker.instance.operations;
