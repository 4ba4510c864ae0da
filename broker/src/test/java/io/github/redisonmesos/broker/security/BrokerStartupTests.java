package io.github.redisonmesos.broker.security;

import io.github.redisonmesos.broker.BrokerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class BrokerStartupTests {

	@Test
	void startsWithOnlyBrokerUsernameAndPasswordSet() {
		try (ConfigurableApplicationContext context = broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret")) {
			assertThat(((ServletWebServerApplicationContext) context).getWebServer().getPort()).isPositive();
		}
	}

	@Test
	void refusesToStartWithoutPasswordNamingBothVariables(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf").close());
		assertThat(output).contains(
				"Set both BROKER_USERNAME and BROKER_PASSWORD: they are the HTTP basic credentials the platform uses on /v2");
	}

	@Test
	void refusesToStartWithoutUsername() {
		assertThatException().isThrownBy(() -> broker("BROKER_PASSWORD=secret").close())
			.withStackTraceContaining(MissingBrokerCredentialsException.MESSAGE);
	}

	@Test
	void failureAnalysisIsTheOneSentenceNamingBothVariables() {
		Throwable failure = new IllegalStateException("binding failed", new MissingBrokerCredentialsException());
		FailureAnalysis analysis = new MissingBrokerCredentialsFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("BROKER_USERNAME", "BROKER_PASSWORD").doesNotContain("\n");
	}

	private static ConfigurableApplicationContext broker(String... properties) {
		return new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

}
