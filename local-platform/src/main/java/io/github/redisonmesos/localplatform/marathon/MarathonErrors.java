package io.github.redisonmesos.localplatform.marathon;

import java.io.UncheckedIOException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice(basePackageClasses = MarathonErrors.class)
class MarathonErrors {

	private static final Logger logger = LoggerFactory.getLogger(MarathonErrors.class);

	@ExceptionHandler(MarathonException.class)
	ResponseEntity<Map<String, Object>> marathonError(MarathonException ex) {
		return ResponseEntity.status(ex.status()).body(ex.body());
	}

	/**
	 * A definition that could not be stored: nothing changed, and the client may retry.
	 */
	@ExceptionHandler(UncheckedIOException.class)
	ResponseEntity<Map<String, Object>> notStored(UncheckedIOException ex) {
		logger.error("marathon.state-not-stored reason={}", ex.getCause().toString());
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(Map.of("message", ex.getMessage() + ": " + ex.getCause().getMessage()));
	}

}
