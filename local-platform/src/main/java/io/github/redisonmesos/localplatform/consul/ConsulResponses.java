package io.github.redisonmesos.localplatform.consul;

import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Headers Consul puts on reads, and its plain-text error answers.
 */
@RestControllerAdvice(basePackageClasses = ConsulResponses.class)
class ConsulResponses {

	private static final Logger logger = LoggerFactory.getLogger(ConsulResponses.class);

	static ResponseEntity.BodyBuilder status(HttpStatusCode status, long index) {
		return ResponseEntity.status(status)
			.header("X-Consul-Index", Long.toString(index))
			.header("X-Consul-KnownLeader", "true")
			.header("X-Consul-LastContact", "0")
			.header("X-Consul-Effective-Consistency", "leader")
			.contentType(MediaType.APPLICATION_JSON);
	}

	static ResponseEntity<Object> ok(long index, Object body) {
		return status(HttpStatus.OK, index).body(body);
	}

	/**
	 * A write that could not be stored: nothing changed, and the client may retry.
	 */
	@ExceptionHandler(UncheckedIOException.class)
	ResponseEntity<String> notStored(UncheckedIOException ex) {
		logger.error("consul.state-not-stored reason={}", ex.getCause().toString());
		return ResponseEntity.internalServerError()
			.contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage() + ": " + ex.getCause().getMessage());
	}

	@ExceptionHandler(ConsulBadRequestException.class)
	ResponseEntity<String> badRequest(ConsulBadRequestException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(ex.getMessage());
	}

}
