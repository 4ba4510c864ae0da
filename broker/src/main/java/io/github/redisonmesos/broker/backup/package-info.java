/**
 * Backups: each instance's data streamed as an RDB into an S3-compatible store, recorded
 * under the broker's KV prefix, kept to a count, and restored into new instances.
 */
package io.github.redisonmesos.broker.backup;
