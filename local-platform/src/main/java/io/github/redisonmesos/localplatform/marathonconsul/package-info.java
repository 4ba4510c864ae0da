/**
 * Does what marathon-consul does: registers healthy tasks of apps labelled {@code consul}
 * in the Consul catalog and deregisters them when they go.
 */
package io.github.redisonmesos.localplatform.marathonconsul;
