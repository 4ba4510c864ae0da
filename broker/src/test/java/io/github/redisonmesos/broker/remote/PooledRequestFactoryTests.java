package io.github.redisonmesos.broker.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependencies' HTTP client goes through the proxy the JVM's proxy selector names
 * (the one {@code http.proxyHost}, {@code https.proxyHost} and {@code http.nonProxyHosts}
 * configure).
 */
class PooledRequestFactoryTests {

	private final WireMockServer proxy = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	@BeforeEach
	void start() {
		this.proxy.start();
	}

	@AfterEach
	void stop() {
		this.proxy.stop();
	}

	@Test
	void aRequestGoesThroughTheProxyTheSelectorNames() {
		this.proxy.stubFor(get(urlEqualTo("/v2/info")).willReturn(aResponse().withStatus(200).withBody("via proxy")));
		// .invalid never resolves (RFC 2606): only the proxy can answer
		String body = client(selector(new InetSocketAddress("127.0.0.1", this.proxy.port()))).get()
			.uri(URI.create("http://marathon.invalid:8080/v2/info"))
			.retrieve()
			.body(String.class);
		assertThat(body).isEqualTo("via proxy");
		this.proxy.verify(1,
				getRequestedFor(urlEqualTo("/v2/info")).withHeader("Host", equalTo("marathon.invalid:8080")));
	}

	@Test
	void aHostTheSelectorExemptsIsReachedDirectly() {
		this.proxy.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withStatus(200).withBody("direct")));
		String body = client(selector(null)).get()
			.uri(URI.create("http://127.0.0.1:" + this.proxy.port() + "/ping"))
			.retrieve()
			.body(String.class);
		assertThat(body).isEqualTo("direct");
	}

	private static RestClient client(ProxySelector selector) {
		return RestClient.builder()
			.requestFactory(PooledRequestFactory.create(Duration.ofSeconds(5), null, selector))
			.build();
	}

	// a proxy for every URI, or none (null)
	private static ProxySelector selector(InetSocketAddress proxy) {
		return new ProxySelector() {

			@Override
			public List<Proxy> select(URI uri) {
				return List.of((proxy != null) ? new Proxy(Proxy.Type.HTTP, proxy) : Proxy.NO_PROXY);
			}

			@Override
			public void connectFailed(URI uri, SocketAddress address, IOException ex) {
			}

		};
	}

}
