/**
 * What the Marathon, Consul and libStorage clients share: a pooled client whose URIs are
 * built from encoded segments, the translation of a failed call into an OSB error, and
 * call timings.
 */
package io.github.redisonmesos.broker.remote;
