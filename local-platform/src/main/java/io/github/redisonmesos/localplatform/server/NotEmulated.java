package io.github.redisonmesos.localplatform.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The answer for any request outside the emulated subsets: Consul answers errors as plain
 * text, Marathon as {@code {"message": ...}}, libStorage as {@code {"type":
 * "resourceNotFound", "httpStatus": 404, "message": ...}}.
 */
final class NotEmulated {

	private NotEmulated() {
	}

	static void write(HttpServletResponse response, Api api, String method, String path) throws IOException {
		String message = method + " " + path + " is not emulated by the local platform on its " + api.title()
				+ " port; see local-platform/README.md for the emulated subset";
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		if (api == Api.CONSUL) {
			response.setContentType("text/plain");
			response.getWriter().write(message);
			return;
		}
		response.setContentType("application/json");
		String escaped = "\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		response.getWriter()
			.write((api == Api.LIBSTORAGE)
					? "{\"type\":\"resourceNotFound\",\"httpStatus\":404,\"message\":" + escaped + "}"
					: "{\"message\":" + escaped + "}");
	}

}
