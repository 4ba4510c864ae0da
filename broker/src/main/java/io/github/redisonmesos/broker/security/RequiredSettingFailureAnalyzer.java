package io.github.redisonmesos.broker.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing or malformed required setting into its sentence instead of a binding
 * stack trace.
 */
class RequiredSettingFailureAnalyzer extends AbstractFailureAnalyzer<RequiredSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RequiredSettingException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
