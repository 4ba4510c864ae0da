package io.github.redisonmesos.broker.osb;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

/**
 * The instance or binding a request names does not exist, where the spec answers 404
 * (polling the last operation of an unknown instance or binding).
 */
public class ResourceNotFoundException extends ServiceBrokerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param description what does not exist
	 */
	public ResourceNotFoundException(String description) {
		super(description);
	}

}
