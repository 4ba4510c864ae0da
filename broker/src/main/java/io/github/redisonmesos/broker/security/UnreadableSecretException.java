package io.github.redisonmesos.broker.security;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

/**
 * A secret in a Consul record that the broker's keys do not open. Answered as a broker
 * error (500) whose description names the variables to check, never with a stack trace.
 */
public class UnreadableSecretException extends ServiceBrokerException {

	private static final long serialVersionUID = 1L;

	UnreadableSecretException(String context, String why) {
		super("The broker cannot read the secret of " + context + ": " + why + ". Check that BROKER_SECRETS_KEY is "
				+ "the key the records were written with (after a rotation, keep the old key as "
				+ "BROKER_SECRETS_KEY_PREVIOUS), and that nobody else writes under the broker's Consul KV prefix.");
	}

}
