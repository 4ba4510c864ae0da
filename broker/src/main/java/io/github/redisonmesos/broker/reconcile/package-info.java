/**
 * The periodic reconciliation: reads the records once and runs each job on them (orphans,
 * tombstone expiry, resealing after a key rotation, instance counts).
 */
package io.github.redisonmesos.broker.reconcile;
