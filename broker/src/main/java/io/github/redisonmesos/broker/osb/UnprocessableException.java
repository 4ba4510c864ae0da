package io.github.redisonmesos.broker.osb;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

/**
 * A change the instance's state does not allow now (422), such as a plan whose memory is
 * smaller than the data it holds: the OSB spec's "utilization is over the quota of the
 * requested plan". The framework has no typed exception for it (its invalid-parameters
 * exception answers 400).
 */
public class UnprocessableException extends ServiceBrokerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param description what stands in the way and what to do
	 */
	public UnprocessableException(String description) {
		super(description);
	}

}
