package io.github.redisonmesos.localplatform.consul;

/**
 * A request Consul would reject with 400 and a plain-text reason.
 */
class ConsulBadRequestException extends RuntimeException {

	ConsulBadRequestException(String message) {
		super(message);
	}

}
