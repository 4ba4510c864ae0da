/**
 * Helpers every module's tests share: a real {@code redis-server} process, free loopback
 * ports, the {@code @EndToEnd} tag and in-process Spring Boot starts one at a time.
 */
package io.github.redisonmesos.testsupport;
