package io.github.redisonmesos.broker.remote;

import java.net.ProxySelector;
import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.util.Timeout;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * The HTTP connections to one dependency: a pool of kept-alive connections as large as
 * the number of requests that can run at once (HttpURLConnection keeps 5 and opens a
 * connection for every request beyond; the JDK's HttpClient cost twice the CPU per call
 * in a profile under load). HTTPS trusts the operator's CA when an SSL bundle is given
 * (else the JVM's trust store, {@code javax.net.ssl.*} included), and requests go through
 * the proxy the JVM's standard properties name ({@code https.proxyHost},
 * {@code http.proxyHost}, {@code http.nonProxyHosts}).
 */
final class PooledRequestFactory {

	/**
	 * Connections kept per dependency: at least Tomcat's worker threads that can call it
	 * at once.
	 */
	static final int MAX_CONNECTIONS = 200;

	private PooledRequestFactory() {
	}

	static ClientHttpRequestFactory create(Duration timeout, SslBundle ssl) {
		return create(timeout, ssl, ProxySelector.getDefault());
	}

	/**
	 * The factory of one dependency.
	 * @param timeout connect, read and pool wait timeout
	 * @param ssl the bundle whose trust material HTTPS uses; {@code null} for the JVM's
	 * @param proxies where each request goes first; the JVM's default selector reads the
	 * standard proxy properties
	 * @return the factory
	 */
	static ClientHttpRequestFactory create(Duration timeout, SslBundle ssl, ProxySelector proxies) {
		Timeout limit = Timeout.of(timeout);
		PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create();
		if (ssl != null) {
			pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(ssl.createSslContext()));
		}
		else {
			pool.useSystemProperties();
		}
		PoolingHttpClientConnectionManager connections = pool.setMaxConnTotal(MAX_CONNECTIONS)
			.setMaxConnPerRoute(MAX_CONNECTIONS)
			.setDefaultConnectionConfig(
					ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
			.build();
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections)
			.setRoutePlanner(new SystemDefaultRoutePlanner(proxies))
			.setDefaultRequestConfig(
					RequestConfig.custom().setConnectionRequestTimeout(limit).setResponseTimeout(limit).build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.build();
		return new HttpComponentsClientHttpRequestFactory(client);
	}

}
