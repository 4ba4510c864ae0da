package io.github.redisonmesos.localplatform.server;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

	@Bean
	ConsulConnector consulConnector(LocalPlatformProperties properties) {
		return new ConsulConnector(properties.consulPort());
	}

	@Bean
	LibStorageConnector libStorageConnector(LocalPlatformProperties properties) {
		return new LibStorageConnector(properties.libstoragePort());
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> extraConnectorsCustomizer(ConsulConnector consul,
			LibStorageConnector libStorage) {
		return (factory) -> factory.addAdditionalTomcatConnectors(consul.connector(), libStorage.connector());
	}

	@Bean
	ApiPortFilter apiPortFilter(ConsulConnector consul, LibStorageConnector libStorage) {
		return new ApiPortFilter(consul, libStorage);
	}

	@Bean
	@ConditionalOnExpression("!'${local-platform.marathon-credentials:}'.isEmpty()")
	FilterRegistrationBean<MarathonBasicAuthFilter> marathonBasicAuthFilter(ConsulConnector consul,
			@Value("${local-platform.marathon-credentials}") String credentials) {
		FilterRegistrationBean<MarathonBasicAuthFilter> registration = new FilterRegistrationBean<>(
				new MarathonBasicAuthFilter(consul, credentials));
		// before the port filter: an unauthenticated request learns nothing
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	@ConditionalOnProperty("server.ssl.bundle")
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> extraConnectorsSsl(ConsulConnector consul,
			LibStorageConnector libStorage, SslBundles bundles, @Value("${server.ssl.bundle}") String bundle) {
		// Spring Boot secures the main (Marathon) connector only; the Consul and
		// libStorage
		// ones get the same bundle, so that every API speaks HTTPS
		return (factory) -> {
			consul.secure(bundles.getBundle(bundle));
			libStorage.secure(bundles.getBundle(bundle));
		};
	}

}
