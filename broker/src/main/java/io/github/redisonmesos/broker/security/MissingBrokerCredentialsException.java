package io.github.redisonmesos.broker.security;

/**
 * Thrown at start-up when the broker's credentials are not configured.
 */
class MissingBrokerCredentialsException extends IllegalStateException {

	static final String MESSAGE = "Set both BROKER_USERNAME and BROKER_PASSWORD: they are the HTTP basic "
			+ "credentials the platform uses on /v2 and the broker has no defaults for them.";

	private static final long serialVersionUID = 1L;

	MissingBrokerCredentialsException() {
		super(MESSAGE);
	}

}
