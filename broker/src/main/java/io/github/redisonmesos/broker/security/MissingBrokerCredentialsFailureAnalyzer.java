package io.github.redisonmesos.broker.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns missing credentials into one sentence instead of a binding stack trace.
 */
class MissingBrokerCredentialsFailureAnalyzer extends AbstractFailureAnalyzer<MissingBrokerCredentialsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingBrokerCredentialsException cause) {
		return new FailureAnalysis(MissingBrokerCredentialsException.MESSAGE,
				"Export BROKER_USERNAME and BROKER_PASSWORD, then start the broker again.", cause);
	}

}
