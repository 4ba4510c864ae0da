package io.github.redisonmesos.broker.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times every OSB request as {@code osb.requests} with the operation it asks for
 * ({@code provision}, {@code last_operation}, {@code bind}, ...), its HTTP status and
 * outcome ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}). The operation
 * comes from the method and path shape, so requests refused before they reach a
 * controller (401, a rejected id) are counted under the operation they tried.
 */
class OsbRequestMetricsFilter extends OncePerRequestFilter {

	private static final String ID = "/[^/]+";

	private static final String INSTANCE = "/v2/service_instances" + ID;

	private static final String BINDING = INSTANCE + "/service_bindings" + ID;

	private static final List<Route> ROUTES = List.of(new Route("GET", "/v2/catalog", "catalog"),
			new Route("PUT", INSTANCE, "provision"), new Route("PATCH", INSTANCE, "update"),
			new Route("DELETE", INSTANCE, "deprovision"), new Route("GET", INSTANCE, "get_instance"),
			new Route("GET", INSTANCE + "/last_operation", "last_operation"), new Route("PUT", BINDING, "bind"),
			new Route("DELETE", BINDING, "unbind"), new Route("GET", BINDING, "get_binding"),
			new Route("GET", BINDING + "/last_operation", "binding_last_operation"));

	private final MeterRegistry registry;

	// one timer per operation and status, looked up without building tags per request
	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	OsbRequestMetricsFilter(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Timer.Sample sample = Timer.start(this.registry);
		try {
			chain.doFilter(request, response);
		}
		finally {
			// answered in this dispatch: the controllers' Monos are resolved in the
			// request thread (SynchronousMonoHandler)
			record(sample, request, response);
		}
	}

	private void record(Timer.Sample sample, HttpServletRequest request, HttpServletResponse response) {
		int status = response.getStatus();
		String operation = operation(request.getMethod(), request.getRequestURI());
		sample.stop(this.timers.computeIfAbsent(operation + " " + status,
				(key) -> Timer.builder("osb.requests")
					.description("OSB requests by operation and outcome")
					.tag("operation", operation)
					.tag("status", Integer.toString(status))
					.tag("outcome", outcome(status))
					.register(this.registry)));
	}

	static String operation(String method, String path) {
		for (Route route : ROUTES) {
			if (route.method().equals(method) && route.path().matcher(path).matches()) {
				return route.operation();
			}
		}
		return "other";
	}

	private static String outcome(int status) {
		if (status >= 500) {
			return "SERVER_ERROR";
		}
		return (status >= 400) ? "CLIENT_ERROR" : "SUCCESS";
	}

	private record Route(String method, Pattern path, String operation) {

		Route(String method, String path, String operation) {
			this(method, Pattern.compile(path), operation);
		}

	}

}
