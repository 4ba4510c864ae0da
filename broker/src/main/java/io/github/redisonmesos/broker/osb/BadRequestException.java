package io.github.redisonmesos.broker.osb;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

/**
 * A request that cannot be served as sent (400), where the framework has no typed
 * exception for the reason.
 */
public class BadRequestException extends ServiceBrokerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param description what was wrong and what to send instead
	 */
	public BadRequestException(String description) {
		super(description);
	}

}
