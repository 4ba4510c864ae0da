package io.github.redisonmesos.broker.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.stereotype.Component;

/**
 * Keeps the Open Service Broker framework's loggers at INFO or above whatever the
 * configuration asks for: at DEBUG its controllers log every response, and the
 * {@code toString()} of a binding response holds the credentials, Redis password
 * included. Runs once the beans exist, before the web server takes requests.
 */
@Component
class CredentialLogGuard implements SmartInitializingSingleton {

	static final String FRAMEWORK = "org.springframework.cloud.servicebroker";

	private static final Logger logger = LoggerFactory.getLogger(CredentialLogGuard.class);

	private final LoggingSystem loggingSystem;

	CredentialLogGuard(LoggingSystem loggingSystem) {
		this.loggingSystem = loggingSystem;
	}

	@Override
	public void afterSingletonsInstantiated() {
		// a level set on one framework class would outrank the package's, so each is
		// checked
		for (LoggerConfiguration configuration : this.loggingSystem.getLoggerConfigurations()) {
			if (isFramework(configuration.getName())) {
				raiseToInfo(configuration);
			}
		}
		raiseToInfo(this.loggingSystem.getLoggerConfiguration(FRAMEWORK));
	}

	private void raiseToInfo(LoggerConfiguration configuration) {
		LogLevel level = (configuration != null) ? configuration.getEffectiveLevel() : null;
		if (level == null || level.compareTo(LogLevel.INFO) < 0) {
			String name = (configuration != null) ? configuration.getName() : FRAMEWORK;
			this.loggingSystem.setLogLevel(name, LogLevel.INFO);
			if (level != null) {
				logger.warn("event=log_level_raised logger={} configured_level={} level=INFO "
						+ "reason=\"the framework logs binding credentials below INFO\"", name, level);
			}
		}
	}

	private static boolean isFramework(String name) {
		return name.equals(FRAMEWORK) || name.startsWith(FRAMEWORK + ".");
	}

}
