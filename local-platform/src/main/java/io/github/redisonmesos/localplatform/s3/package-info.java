/**
 * The local S3-compatible store: S3Proxy with a filesystem backend, run as a child
 * process.
 */
package io.github.redisonmesos.localplatform.s3;
