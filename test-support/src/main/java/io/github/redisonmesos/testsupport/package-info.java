/**
 * Helpers every module's tests share: a real {@code redis-server} process and free
 * loopback ports.
 */
package io.github.redisonmesos.testsupport;
