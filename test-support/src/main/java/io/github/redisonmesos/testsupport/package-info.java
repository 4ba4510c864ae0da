/**
 * Helpers every module's tests share: a real {@code redis-server} process, free loopback
 * ports and the {@code @EndToEnd} tag.
 */
package io.github.redisonmesos.testsupport;
