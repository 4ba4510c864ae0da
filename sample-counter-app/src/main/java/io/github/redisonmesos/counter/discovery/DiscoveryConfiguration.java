package io.github.redisonmesos.counter.discovery;

import java.time.Clock;

import com.ecwid.consul.v1.ConsulRawClient;
import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.binding.SentinelBinding;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import redis.clients.jedis.DefaultJedisClientConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Consul client and the watch built on it.
 */
@Configuration(proxyBeanMethods = false)
class DiscoveryConfiguration {

	@Bean(destroyMethod = "close")
	CloseableHttpClient consulHttpClient(WatchProperties properties) {
		int connectMillis = (int) properties.connectTimeout().toMillis();
		RequestConfig requestConfig = RequestConfig.custom()
			.setConnectTimeout(connectMillis)
			.setConnectionRequestTimeout(connectMillis)
			.setSocketTimeout((int) properties.readTimeout().toMillis())
			.build();
		// the watch holds one connection; re-resolutions after Redis errors need a few
		// more
		return HttpClientBuilder.create()
			.setDefaultRequestConfig(requestConfig)
			.setMaxConnTotal(4)
			.setMaxConnPerRoute(4)
			.disableAutomaticRetries()
			.useSystemProperties()
			// the one header consul-api drops that a lookup needs
			.addInterceptorLast(new AclFilterHeader())
			.build();
	}

	@Bean
	ConsulRawClient consulClient(CloseableHttpClient consulHttpClient, RedisBinding binding) {
		String scheme = (binding.consulUrl().getScheme() != null) ? binding.consulUrl().getScheme() : "http";
		String path = (binding.consulUrl().getPath() != null) ? binding.consulUrl().getPath() : "";
		// the raw client: its requests carry the ACL token as a header (see
		// ConsulHealthLookup)
		return new ConsulRawClient(consulHttpClient, scheme + "://" + binding.consulHost(), binding.consulPort(),
				path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
	}

	@Bean
	EndpointWatch endpointWatch(ConsulRawClient consulClient, RedisBinding binding, WatchProperties properties) {
		return new EndpointWatch(lookup(consulClient, binding, properties), properties, Clock.systemUTC());
	}

	/**
	 * Consul's passing instances of the Redis service; for an {@code ha} binding, the
	 * primary its Sentinels name (the Sentinels found through Consul, else the binding).
	 */
	static EndpointLookup lookup(ConsulRawClient consulClient, RedisBinding binding, WatchProperties properties) {
		SentinelBinding sentinel = binding.sentinel();
		if (sentinel == null) {
			return new ConsulHealthLookup(consulClient, binding);
		}
		EndpointLookup consulSentinels = (sentinel.consulService() != null)
				? new ConsulHealthLookup(consulClient, binding, sentinel.consulService()) : null;
		int timeoutMillis = (int) properties.connectTimeout().toMillis();
		return new SentinelLookup(sentinel, consulSentinels,
				DefaultJedisClientConfig.builder()
					.user(sentinel.username())
					.password(sentinel.password())
					.connectionTimeoutMillis(timeoutMillis)
					.socketTimeoutMillis(timeoutMillis)
					.clientName("sample-counter-app")
					.build());
	}

}
