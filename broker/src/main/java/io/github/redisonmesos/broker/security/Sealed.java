package io.github.redisonmesos.broker.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A secret as it is stored in a Consul record: AES-256-GCM ciphertext that only
 * {@link SecretBox} opens. Written to JSON as the single string
 * {@code v1.<key id>.<base64url of nonce and ciphertext>}.
 *
 * @param value the stored form
 */
public record Sealed(@JsonValue String value) {

	@JsonCreator
	public Sealed {
	}

	String keyId() {
		String[] parts = this.value.split("\\.", 3);
		return (parts.length == 3) ? parts[1] : "";
	}

	@Override
	public String toString() {
		// the ciphertext is harmless, but nothing secret-shaped belongs in a log line
		return "Sealed[keyId=" + keyId() + "]";
	}

}
