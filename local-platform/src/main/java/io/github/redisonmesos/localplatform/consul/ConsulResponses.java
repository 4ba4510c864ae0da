package io.github.redisonmesos.localplatform.consul;

import java.io.UncheckedIOException;

import io.github.redisonmesos.localplatform.consul.acl.AclDisabledException;
import io.github.redisonmesos.localplatform.consul.acl.AclNotFoundException;
import io.github.redisonmesos.localplatform.consul.acl.AclRequestException;
import io.github.redisonmesos.localplatform.consul.acl.Authorizer;
import io.github.redisonmesos.localplatform.consul.acl.PermissionDeniedException;

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
	 * A read whose answer ACLs may have shortened. Consul (1.11+) says so in
	 * {@code X-Consul-Results-Filtered-By-ACLs: true}, but only to a caller that named a
	 * token (agent/consul/rpc.go, maskResultsFilteredByACLs: no leak to anonymous
	 * callers).
	 */
	static ResponseEntity.BodyBuilder status(HttpStatusCode status, long index, Authorizer authorizer,
			boolean filtered) {
		ResponseEntity.BodyBuilder builder = status(status, index);
		if (filtered && authorizer.namedToken()) {
			builder.header(RESULTS_FILTERED, "true");
		}
		return builder;
	}

	static final String RESULTS_FILTERED = "X-Consul-Results-Filtered-By-ACLs";

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

	@ExceptionHandler({ ConsulBadRequestException.class, AclRequestException.class })
	ResponseEntity<String> badRequest(RuntimeException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(ex.getMessage());
	}

	/**
	 * Consul's 403s: an unknown token ({@code ACL not found}) and a missing permission
	 * ({@code Permission denied: ...}), as agent/http.go writes them: plain text.
	 */
	@ExceptionHandler({ AclNotFoundException.class, PermissionDeniedException.class })
	ResponseEntity<String> forbidden(RuntimeException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN).body(ex.getMessage());
	}

	@ExceptionHandler(AclDisabledException.class)
	ResponseEntity<String> aclDisabled(AclDisabledException ex) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN).body(ex.getMessage());
	}

}
