package io.github.redisonmesos.broker.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Seals and opens the secrets kept in Consul records with the JDK's AES-256-GCM (a random
 * 96-bit nonce per secret, a 128-bit tag). The record's identity (for example
 * {@code instance/<id>/admin}) is bound in as associated data, so a sealed secret copied
 * into another record does not open. Seals with {@code BROKER_SECRETS_KEY}; opens with it
 * or with {@code BROKER_SECRETS_KEY_PREVIOUS}, picked by the key id in the sealed form.
 */
@Component
public class SecretBox {

	private static final String VERSION = "v1";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final String currentKeyId;

	private final Map<String, SecretKey> keys = new LinkedHashMap<>();

	SecretBox(SecretsProperties properties) {
		this.currentKeyId = add(SecretsProperties.decode("BROKER_SECRETS_KEY", properties.key()));
		if (!properties.previousKey().isEmpty()) {
			add(SecretsProperties.decode("BROKER_SECRETS_KEY_PREVIOUS", properties.previousKey()));
		}
	}

	private String add(byte[] key) {
		// a public name for the key: the first 8 bytes of its SHA-256, which reveals
		// nothing usable about a 256-bit random key
		String id = HexFormat.of()
			.formatHex(Sha256PasswordEncoder.digest(Base64.getEncoder().encodeToString(key)), 0, 8);
		this.keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
		return id;
	}

	/**
	 * Seal a secret with the current key.
	 * @param secret the plain secret
	 * @param context the identity of the record that holds it
	 * @return the sealed form
	 */
	public Sealed seal(String secret, String context) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), nonce, context);
			byte[] ciphertext = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			byte[] stored = ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
			return new Sealed(VERSION + "." + this.currentKeyId + "."
					+ Base64.getUrlEncoder().withoutPadding().encodeToString(stored));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every Java runtime; sealing failed", ex);
		}
	}

	/**
	 * Open a sealed secret.
	 * @param sealed the sealed form
	 * @param context the identity of the record that holds it, as given to
	 * {@link #seal(String, String)}
	 * @return the plain secret
	 * @throws UnreadableSecretException when neither key opens it, or it was altered or
	 * moved from another record
	 */
	public String open(Sealed sealed, String context) {
		String[] parts = (sealed != null) ? sealed.value().split("\\.", 3) : new String[0];
		if (parts.length != 3 || !VERSION.equals(parts[0])) {
			throw new UnreadableSecretException(context, "it is not in the broker's sealed form");
		}
		SecretKey key = this.keys.get(parts[1]);
		if (key == null) {
			throw new UnreadableSecretException(context,
					"it was sealed with a key that is neither " + "BROKER_SECRETS_KEY nor BROKER_SECRETS_KEY_PREVIOUS");
		}
		try {
			byte[] stored = Base64.getUrlDecoder().decode(parts[2]);
			if (stored.length <= NONCE_BYTES) {
				throw new UnreadableSecretException(context, "it is truncated");
			}
			byte[] nonce = new byte[NONCE_BYTES];
			System.arraycopy(stored, 0, nonce, 0, NONCE_BYTES);
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, context);
			return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			throw new UnreadableSecretException(context,
					"its authentication failed (it was altered, or copied from another record)");
		}
	}

	/**
	 * Whether a sealed secret needs sealing again with the current key, as after a key
	 * rotation.
	 * @param sealed the sealed form
	 * @return true when it was sealed with another key than BROKER_SECRETS_KEY
	 */
	public boolean sealedWithOlderKey(Sealed sealed) {
		return !this.currentKeyId.equals(sealed.keyId());
	}

	private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String context)
			throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

}
