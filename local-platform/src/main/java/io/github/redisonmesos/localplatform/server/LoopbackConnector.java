package io.github.redisonmesos.localplatform.server;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11JsseProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
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

	/**
	 * Serve HTTPS with the bundle's key and certificate, as Spring Boot does on the main
	 * connector with {@code server.ssl.bundle}.
	 * @param bundle the SSL bundle
	 */
	void secure(SslBundle bundle) {
		this.connector.setScheme("https");
		this.connector.setSecure(true);
		AbstractHttp11JsseProtocol<?> protocol = (AbstractHttp11JsseProtocol<?>) this.connector.getProtocolHandler();
		protocol.setSSLEnabled(true);
		SSLHostConfig host = new SSLHostConfig();
		host.setHostName(protocol.getDefaultSSLHostConfigName());
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
				SSLHostConfigCertificate.Type.UNDEFINED);
		SslStoreBundle stores = bundle.getStores();
		certificate.setCertificateKeystore(stores.getKeyStore());
		if (stores.getKeyStorePassword() != null) {
			certificate.setCertificateKeystorePassword(stores.getKeyStorePassword());
		}
		if (bundle.getKey().getAlias() != null) {
			certificate.setCertificateKeyAlias(bundle.getKey().getAlias());
		}
		if (bundle.getKey().getPassword() != null) {
			certificate.setCertificateKeyPassword(bundle.getKey().getPassword());
		}
		host.addCertificate(certificate);
		protocol.addSslHostConfig(host);
	}

	/**
	 * The scheme clients use on this connector.
	 * @return {@code http} or {@code https}
	 */
	public String scheme() {
		return this.connector.getScheme();
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
