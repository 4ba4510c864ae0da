package io.github.redisonmesos.broker.instance;

import java.security.SecureRandom;

import org.springframework.stereotype.Component;

/**
 * Redis passwords: 40 characters from SecureRandom, letters and digits only so they need
 * no escaping in a {@code redis://} URI or a shell.
 */
@Component
class PasswordGenerator {

	static final int LENGTH = 40;

	private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		.toCharArray();

	private final SecureRandom random = new SecureRandom();

	String generate() {
		char[] password = new char[LENGTH];
		for (int i = 0; i < LENGTH; i++) {
			password[i] = ALPHABET[this.random.nextInt(ALPHABET.length)];
		}
		return new String(password);
	}

}
