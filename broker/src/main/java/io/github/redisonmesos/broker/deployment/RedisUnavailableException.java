package io.github.redisonmesos.broker.deployment;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;

/**
 * Redis could not be reached, or dropped the connection before a change was confirmed
 * (503: retry).
 */
public class RedisUnavailableException extends ServiceBrokerUnavailableException {

	private static final long serialVersionUID = 1L;

	private final boolean mayHaveApplied;

	public RedisUnavailableException(String message, boolean mayHaveApplied, Throwable cause) {
		super(message, cause);
		this.mayHaveApplied = mayHaveApplied;
	}

	/**
	 * Whether the change may have reached Redis before the failure.
	 * @return false when the broker never got to send it
	 */
	public boolean mayHaveApplied() {
		return this.mayHaveApplied;
	}

}
