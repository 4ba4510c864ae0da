package io.github.redisonmesos.localplatform.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The answer for any request outside the emulated subsets: Consul answers errors as plain
 * text, Marathon as {@code {"message": ...}}.
 */
final class NotEmulated {

	private NotEmulated() {
	}

	static void write(HttpServletResponse response, boolean consul, String method, String path) throws IOException {
		String message = method + " " + path + " is not emulated by the local platform on its "
				+ (consul ? "Consul" : "Marathon") + " port; see local-platform/README.md for the emulated subset";
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		if (consul) {
			response.setContentType("text/plain");
			response.getWriter().write(message);
		}
		else {
			response.setContentType("application/json");
			String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
			response.getWriter().write("{\"message\":\"" + escaped + "\"}");
		}
	}

}
