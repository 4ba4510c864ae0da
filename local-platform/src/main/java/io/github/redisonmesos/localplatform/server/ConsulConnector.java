package io.github.redisonmesos.localplatform.server;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

/**
 * The extra Tomcat connector that serves the Consul API on loopback only.
 */
public final class ConsulConnector {

	private final Connector connector;

	ConsulConnector(int port) {
		this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
		this.connector.setPort(port);
		this.connector.setProperty("address", "127.0.0.1");
	}

	Connector connector() {
		return this.connector;
	}

	/**
	 * The port the Consul API listens on, once the server has started.
	 * @return the bound port
	 */
	public int port() {
		return this.connector.getLocalPort();
	}

}
