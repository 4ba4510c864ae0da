/**
 * Does what marathon-consul does: registers healthy tasks of apps labelled {@code consul}
 * in the Consul catalog, one service per port labelled {@code consul} (or the first
 * port), and deregisters every service of a task when it goes.
 */
package io.github.redisonmesos.localplatform.marathonconsul;
