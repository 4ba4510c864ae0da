package io.github.redisonmesos.localplatform.server;

/**
 * The extra Tomcat connector that serves the Consul API on loopback only.
 */
public final class ConsulConnector extends LoopbackConnector {

	ConsulConnector(int port) {
		super(port);
	}

}
