package io.github.redisonmesos.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks the platform's password in constant time for the cost of one SHA-256. The broker
 * password comes from the environment and lives in memory anyway, so a slow hash (BCrypt)
 * protects nothing here and would cost tens of milliseconds of CPU on every platform
 * request. Comparing digests keeps the comparison's duration independent of where the
 * presented password differs and of its length. Never asks for an upgrade: the stored
 * form is only ever this digest.
 */
final class Sha256PasswordEncoder implements PasswordEncoder {

	@Override
	public String encode(CharSequence rawPassword) {
		return HexFormat.of().formatHex(digest(rawPassword));
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null || encodedPassword.length() != 64) {
			return false;
		}
		byte[] expected;
		try {
			expected = HexFormat.of().parseHex(encodedPassword);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(digest(rawPassword), expected);
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return false;
	}

	static byte[] digest(CharSequence value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.toString().getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
