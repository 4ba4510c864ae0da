/**
 * Serves the Marathon and the Consul API on two ports of one embedded Tomcat, both on
 * 127.0.0.1, and keeps each API on its own port.
 */
package io.github.redisonmesos.localplatform.server;
