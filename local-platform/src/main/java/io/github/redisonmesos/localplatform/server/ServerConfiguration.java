package io.github.redisonmesos.localplatform.server;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

}
