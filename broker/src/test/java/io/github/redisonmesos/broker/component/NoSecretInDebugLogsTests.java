package io.github.redisonmesos.broker.component;

import org.junit.jupiter.api.AfterAll;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle of {@link NoSecretInLogsTests} with an operator's DEBUG settings: the
 * broker logs at DEBUG, the framework (whose DEBUG lines print binding responses,
 * credentials included) stays at INFO.
 */
@TestPropertySource(properties = { "logging.level.io.github.redisonmesos=DEBUG",
		"logging.level.org.springframework.cloud.servicebroker=DEBUG",
		"logging.level.org.springframework.cloud.servicebroker.controller.ServiceInstanceBindingController=TRACE" })
class NoSecretInDebugLogsTests extends NoSecretInLogsTests {

	@Override
	protected void assertLogLevels() {
		assertThat(effectiveLevel("io.github.redisonmesos")).isEqualTo(LogLevel.DEBUG);
		assertThat(effectiveLevel("org.springframework.cloud.servicebroker")).isEqualTo(LogLevel.INFO);
		assertThat(
				effectiveLevel("org.springframework.cloud.servicebroker.controller.ServiceInstanceBindingController"))
			.isEqualTo(LogLevel.INFO);
	}

	/**
	 * Log levels are global to the JVM while contexts are cached: back to the defaults
	 * for the classes that run next.
	 */
	@AfterAll
	static void restoreDefaultLevels() {
		LoggingSystem loggingSystem = LoggingSystem.get(NoSecretInDebugLogsTests.class.getClassLoader());
		loggingSystem.setLogLevel("io.github.redisonmesos", null);
	}

}
