package io.github.redisonmesos.broker.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * The HTTP basic credentials CF uses on {@code /v2/**}; there is no default, so a broker
 * never runs with guessable credentials.
 *
 * @param username from {@code BROKER_USERNAME}
 * @param password from {@code BROKER_PASSWORD}
 */
@ConfigurationProperties("broker.security")
record BrokerCredentialsProperties(String username, String password) {

	static final String MISSING = "Set both BROKER_USERNAME and BROKER_PASSWORD: they are the HTTP basic "
			+ "credentials the platform uses on /v2 and the broker has no defaults for them.";

	BrokerCredentialsProperties {
		if (!StringUtils.hasText(username) || !StringUtils.hasText(password)) {
			throw new RequiredSettingException(MISSING,
					"Export BROKER_USERNAME and BROKER_PASSWORD, then start the broker again.");
		}
	}

	@Override
	public String toString() {
		return "BrokerCredentialsProperties[username=" + this.username + "]";
	}

}
