package io.github.redisonmesos.broker.security;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

/**
 * Redis passwords: 40 characters from SecureRandom (about 238 bits), letters and digits
 * only so that they need no escaping in a {@code redis://} URI or a shell.
 */
@Component
public class Passwords {

	static final int LENGTH = 40;

	private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		.toCharArray();

	private final SecureRandom random = new SecureRandom();

	/**
	 * A new random password.
	 * @return 40 letters and digits
	 */
	public String generate() {
		char[] password = new char[LENGTH];
		for (int i = 0; i < LENGTH; i++) {
			password[i] = ALPHABET[this.random.nextInt(ALPHABET.length)];
		}
		return new String(password);
	}

	/**
	 * The form Redis keeps a password in ({@code ACL SETUSER name #<hex>}): its SHA-256
	 * in lower-case hex. Redis, its ACL file and Marathon's app definition see only this.
	 * @param password the password
	 * @return 64 hex characters
	 */
	public static String redisHash(String password) {
		return HexFormat.of().formatHex(Sha256PasswordEncoder.digest(password));
	}

}
