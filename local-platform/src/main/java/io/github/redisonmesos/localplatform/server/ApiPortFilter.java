package io.github.redisonmesos.localplatform.server;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps each API on its own port: a client that mixes up the two URLs gets a clear answer
 * instead of a confusing partial success.
 */
class ApiPortFilter extends OncePerRequestFilter {

	private final ConsulConnector consul;

	ApiPortFilter(ConsulConnector consul) {
		this.consul = consul;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean onConsulPort = request.getLocalPort() == this.consul.port();
		boolean consulPath = request.getRequestURI().startsWith("/v1/");
		if (onConsulPort == consulPath) {
			chain.doFilter(request, response);
			return;
		}
		NotEmulated.write(response, onConsulPort, request.getMethod(), request.getRequestURI());
	}

}
