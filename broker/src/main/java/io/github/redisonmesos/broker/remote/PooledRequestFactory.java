package io.github.redisonmesos.broker.remote;

import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * The HTTP connections to one dependency: a pool of kept-alive connections as large as
 * the number of requests that can run at once (HttpURLConnection keeps 5 and opens a
 * connection for every request beyond; the JDK's HttpClient cost twice the CPU per call
 * in a profile under load).
 */
final class PooledRequestFactory {

	/**
	 * Connections kept per dependency: at least Tomcat's worker threads that can call it
	 * at once.
	 */
	static final int MAX_CONNECTIONS = 200;

	private PooledRequestFactory() {
	}

	static ClientHttpRequestFactory create(Duration timeout) {
		Timeout limit = Timeout.of(timeout);
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(MAX_CONNECTIONS)
			.setMaxConnPerRoute(MAX_CONNECTIONS)
			.setDefaultConnectionConfig(
					ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
			.build();
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(
					RequestConfig.custom().setConnectionRequestTimeout(limit).setResponseTimeout(limit).build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.build();
		return new HttpComponentsClientHttpRequestFactory(client);
	}

}
