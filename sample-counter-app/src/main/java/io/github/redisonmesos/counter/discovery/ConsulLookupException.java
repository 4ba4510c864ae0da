package io.github.redisonmesos.counter.discovery;

/**
 * Consul could not be asked, or its answer could not be read (for an {@code ha} binding,
 * also: no Sentinel could be asked).
 */
class ConsulLookupException extends RuntimeException {

	ConsulLookupException(String message, Throwable cause) {
		super(message, cause);
	}

}
