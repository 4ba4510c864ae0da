/**
 * Marathon behind the broker's own small interface, and the Redis app definition rendered
 * from a template.
 */
package io.github.redisonmesos.broker.marathon;
