package io.github.redisonmesos.broker.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerApiVersionException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Accepts any 2.x {@code X-Broker-API-Version}; the framework's own check wants one exact
 * version, but OSB minor versions are backwards compatible.
 */
class ApiVersionInterceptor implements HandlerInterceptor {

	static final String HEADER = "X-Broker-API-Version";

	private static final String SUPPORTED_MAJOR = "2";

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		String version = request.getHeader(HEADER);
		if (version == null || !SUPPORTED_MAJOR.equals(version.split("\\.", 2)[0].trim())) {
			throw new ServiceBrokerApiVersionException("2.x (header " + HEADER + ")",
					(version != null) ? version : "none");
		}
		return true;
	}

}
