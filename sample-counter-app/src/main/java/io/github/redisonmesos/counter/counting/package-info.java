/**
 * The counter itself: {@code INCR counter} on the current Redis, the page and the JSON
 * that show it, and what happens when Redis or Consul fail.
 */
package io.github.redisonmesos.counter.counting;
