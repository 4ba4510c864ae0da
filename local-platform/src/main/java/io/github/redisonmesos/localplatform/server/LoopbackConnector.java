package io.github.redisonmesos.localplatform.server;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

/**
 * An extra Tomcat connector on loopback only, serving one of the emulated APIs beside
 * Marathon's.
 */
public abstract class LoopbackConnector {

	private final Connector connector;

	LoopbackConnector(int port) {
		this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
		this.connector.setPort(port);
		this.connector.setProperty("address", "127.0.0.1");
	}

	Connector connector() {
		return this.connector;
	}

	/**
	 * The port the API listens on, once the server has started.
	 * @return the bound port
	 */
	public int port() {
		return this.connector.getLocalPort();
	}

}
