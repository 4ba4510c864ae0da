/**
 * Serves the Marathon, the Consul and the libStorage API on three ports of one embedded
 * Tomcat, all on 127.0.0.1, and keeps each API on its own port.
 */
package io.github.redisonmesos.localplatform.server;
