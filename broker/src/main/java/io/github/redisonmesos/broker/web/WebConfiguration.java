package io.github.redisonmesos.broker.web;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The checks every OSB request passes (API version, id rule), the request metrics, and
 * Tomcat's handling of encoded slashes.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new ApiVersionInterceptor()).addPathPatterns("/v2/**");
		// and the TLS delivery the Mesos fetcher calls (tls.TlsDeliveryController)
		registry.addInterceptor(new IdRuleInterceptor())
			.addPathPatterns("/v2/service_instances/**", "/tls/v1/instances/**");
	}

	/**
	 * Puts {@link SynchronousMonoHandler} first once Spring MVC's adapter is ready.
	 */
	@Bean
	SmartInitializingSingleton synchronousMonos(RequestMappingHandlerAdapter adapter) {
		return () -> SynchronousMonoHandler.install(adapter);
	}

	@Bean
	FilterRegistrationBean<OsbRequestMetricsFilter> osbRequestMetrics(MeterRegistry registry) {
		FilterRegistrationBean<OsbRequestMetricsFilter> filter = new FilterRegistrationBean<>(
				new OsbRequestMetricsFilter(registry));
		filter.addUrlPatterns("/v2/*");
		// outside Spring Security, so that refused requests (401, 400) are counted too
		filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return filter;
	}

	/**
	 * Tomcat answers an encoded slash ({@code %2F}) in a path with its own HTML page.
	 * Passed through, it reaches Spring Security's firewall, whose refusal gets an OSB
	 * error body.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesReachTheFirewall() {
		return (factory) -> factory
			.addConnectorCustomizers((connector) -> connector.setEncodedSolidusHandling("passthrough"));
	}

}
