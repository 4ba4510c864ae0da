/**
 * A lookup cached in Redis through Spring's cache abstraction.
 */
package io.github.redisonmesos.proof.lookup;
