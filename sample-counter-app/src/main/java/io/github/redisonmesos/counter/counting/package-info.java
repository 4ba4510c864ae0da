/**
 * The counter itself: one increment per request, exactly once, on the current Redis; the
 * page and the JSON that show it; waiting for Redis while it moves, and the 503 when it
 * does not come back in time; the meters that count outcomes.
 */
package io.github.redisonmesos.counter.counting;
