package io.github.redisonmesos.localplatform.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Marathon's HTTP basic authentication ({@code --http_credentials user:password}), on
 * when {@code local-platform.marathon-credentials}
 * ({@code LOCAL_PLATFORM_MARATHON_CREDENTIALS}) is set: every request on the Marathon
 * port but {@code /ping} (served, as Marathon's, to load balancers without credentials)
 * needs them, else 401 with Marathon's body
 * (fixtures/marathon/extracted/v1.10-master/error.401.unauthorized.json). The Consul port
 * is not affected.
 */
class MarathonBasicAuthFilter extends OncePerRequestFilter {

	private final ConsulConnector consul;

	private final byte[] expected;

	MarathonBasicAuthFilter(ConsulConnector consul, String credentials) {
		if (!credentials.contains(":")) {
			throw new IllegalArgumentException(
					"local-platform.marathon-credentials (LOCAL_PLATFORM_MARATHON_CREDENTIALS) must be user:password");
		}
		this.consul = consul;
		this.expected = ("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
			.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader("Authorization");
		if (request.getLocalPort() == this.consul.port() || "/ping".equals(request.getRequestURI())
				|| (given != null && MessageDigest.isEqual(this.expected, given.getBytes(StandardCharsets.UTF_8)))) {
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Basic realm=\"Mesosphere\"");
		response.setContentType("application/json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{ \"message\": \"Invalid username or password.\" }");
	}

}
