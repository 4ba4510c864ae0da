package io.github.redisonmesos.counter.discovery;

/**
 * The {@link EndpointLookup} failed: Consul could not be asked, or its answer could not
 * be read; for an {@code ha} binding, also: no Sentinel could be asked.
 */
class EndpointLookupException extends RuntimeException {

	EndpointLookupException(String message, Throwable cause) {
		super(message, cause);
	}

}
