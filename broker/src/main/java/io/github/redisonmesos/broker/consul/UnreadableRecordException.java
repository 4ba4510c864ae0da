package io.github.redisonmesos.broker.consul;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

/**
 * A record under the broker's KV prefix that is not the broker's JSON. Answered as a
 * broker error (500) that names the key.
 */
public class UnreadableRecordException extends ServiceBrokerException {

	private static final long serialVersionUID = 1L;

	UnreadableRecordException(String description) {
		super(description);
	}

}
