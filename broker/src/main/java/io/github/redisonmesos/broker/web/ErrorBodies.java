package io.github.redisonmesos.broker.web;

import java.io.IOException;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

/**
 * Writes an OSB error body ({@code {"description": ...}}) where no controller advice can:
 * in servlet filters, before a request reaches the OSB controllers.
 */
public final class ErrorBodies {

	private ErrorBodies() {
	}

	/**
	 * Answer with a status and an OSB error body.
	 * @param response the response, not yet committed
	 * @param status the HTTP status
	 * @param description what was wrong and what to do
	 * @throws IOException when the body cannot be written
	 */
	public static void write(HttpServletResponse response, int status, String description) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"description\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(description))
					+ "\"}");
	}

}
