package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Counts the asynchronous dispatches the broker's server makes: a request answered
 * asynchronously passes the filters a second time, as an ASYNC dispatch.
 */
@TestConfiguration(proxyBeanMethods = false)
class AsyncDispatches implements Filter {

	private final AtomicInteger count = new AtomicInteger();

	@Bean
	FilterRegistrationBean<AsyncDispatches> asyncDispatchCounter() {
		FilterRegistrationBean<AsyncDispatches> registration = new FilterRegistrationBean<>(this);
		registration.setDispatcherTypes(DispatcherType.ASYNC);
		return registration;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		this.count.incrementAndGet();
		chain.doFilter(request, response);
	}

	int count() {
		return this.count.get();
	}

}
