package io.github.redisonmesos.broker.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Applies {@link RequestIds}' rule to the instance and binding ids of every OSB endpoint
 * before any service code runs, so no id that breaks it reaches Consul, Marathon or
 * Redis. An id that breaks it gets 400 on PUT and PATCH (a malformed request), and
 * elsewhere the status the OSB spec gives for a resource that does not exist: 404 on GET,
 * 410 on DELETE.
 */
class IdRuleInterceptor implements HandlerInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(IdRuleInterceptor.class);

	static final String INSTANCE_ID = "instanceId";

	static final String BINDING_ID = "bindingId";

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		if (variables == null) {
			return true;
		}
		for (String name : new String[] { INSTANCE_ID, BINDING_ID }) {
			String id = variables.get(name);
			if (id != null && !RequestIds.valid(id)) {
				// the id itself stays out of the log: it is hostile input of any length
				logger.info("event=id_rejected method={} variable={} length={}", request.getMethod(), name,
						id.length());
				String what = INSTANCE_ID.equals(name) ? "Instance" : "Binding";
				ErrorBodies.write(response, status(request.getMethod()), what + " id " + RequestIds.quote(id)
						+ " is not a valid id for this broker: use " + RequestIds.RULE + ".");
				return false;
			}
		}
		return true;
	}

	private static int status(String method) {
		return switch (method) {
			case "GET" -> HttpServletResponse.SC_NOT_FOUND;
			case "DELETE" -> HttpServletResponse.SC_GONE;
			default -> HttpServletResponse.SC_BAD_REQUEST;
		};
	}

}
