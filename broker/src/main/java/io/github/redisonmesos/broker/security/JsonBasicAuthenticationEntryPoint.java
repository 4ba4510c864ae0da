package io.github.redisonmesos.broker.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.redisonmesos.broker.web.ErrorBodies;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers an unauthenticated request with 401, the Basic challenge, and an OSB error body
 * whose description says what to send, instead of an empty body.
 */
class JsonBasicAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private static final String DESCRIPTION = "This broker needs HTTP basic authentication with the "
			+ "broker's username and password (BROKER_USERNAME and BROKER_PASSWORD); the request had none or "
			+ "others.";

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"redis-on-mesos-broker\"");
		ErrorBodies.write(response, HttpServletResponse.SC_UNAUTHORIZED, DESCRIPTION);
	}

}
