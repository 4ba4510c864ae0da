package io.github.redisonmesos.broker.security;

import java.util.Base64;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * The keys that seal the secrets in the broker's Consul records: AES-256, base64 of 32
 * random bytes ({@code head -c 32 /dev/urandom | base64}).
 *
 * @param key the current key, from {@code BROKER_SECRETS_KEY}: seals every new secret and
 * opens them
 * @param previousKey the key before the last rotation, from
 * {@code BROKER_SECRETS_KEY_PREVIOUS}: opens secrets sealed before it, never seals; empty
 * when no rotation is under way
 */
@ConfigurationProperties("broker.secrets")
record SecretsProperties(String key, String previousKey) {

	static final String GENERATE = "Generate one with: head -c 32 /dev/urandom | base64";

	SecretsProperties {
		if (!StringUtils.hasText(key)) {
			throw new RequiredSettingException(
					"Set BROKER_SECRETS_KEY: the broker encrypts the Redis passwords in "
							+ "its Consul records with it and has no default.",
					GENERATE + "; export it as "
							+ "BROKER_SECRETS_KEY (keep it: records sealed with it cannot be read without it).");
		}
		decode("BROKER_SECRETS_KEY", key);
		if (StringUtils.hasText(previousKey)) {
			decode("BROKER_SECRETS_KEY_PREVIOUS", previousKey);
		}
		else {
			previousKey = "";
		}
	}

	/**
	 * The key bytes of a setting.
	 * @param variable the variable's name, for the error
	 * @param value the base64 value
	 * @return 32 bytes
	 */
	static byte[] decode(String variable, String value) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(value.strip());
		}
		catch (IllegalArgumentException ex) {
			throw malformed(variable, "is not base64");
		}
		if (bytes.length != 32) {
			throw malformed(variable, "decodes to " + bytes.length + " bytes, not 32");
		}
		return bytes;
	}

	private static RequiredSettingException malformed(String variable, String why) {
		// the value itself is a secret: only its shape is described
		return new RequiredSettingException(
				variable + " " + why + "; it must be the base64 of 32 random bytes " + "(an AES-256 key).",
				GENERATE + ".");
	}

	@Override
	public String toString() {
		return "SecretsProperties[key=(set), previousKey=" + (this.previousKey.isEmpty() ? "(none)" : "(set)") + "]";
	}

}
