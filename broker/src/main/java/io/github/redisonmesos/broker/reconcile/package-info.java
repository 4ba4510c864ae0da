/**
 * The periodic reconciliation of the broker's records with what runs: orphans, forgotten
 * tombstones, secrets sealed again after a key rotation, instance counts.
 */
package io.github.redisonmesos.broker.reconcile;
