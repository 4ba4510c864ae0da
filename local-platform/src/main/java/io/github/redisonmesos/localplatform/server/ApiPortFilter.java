package io.github.redisonmesos.localplatform.server;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps each API on its own port: a client that mixes up the URLs gets a clear answer
 * instead of a confusing partial success.
 */
class ApiPortFilter extends OncePerRequestFilter {

	private final ConsulConnector consul;

	private final LibStorageConnector libStorage;

	ApiPortFilter(ConsulConnector consul, LibStorageConnector libStorage) {
		this.consul = consul;
		this.libStorage = libStorage;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Api onPort = Api.ofPort(request.getLocalPort(), this.consul, this.libStorage);
		if (onPort == Api.ofPath(request.getRequestURI())) {
			chain.doFilter(request, response);
			return;
		}
		NotEmulated.write(response, onPort, request.getMethod(), request.getRequestURI());
	}

}
