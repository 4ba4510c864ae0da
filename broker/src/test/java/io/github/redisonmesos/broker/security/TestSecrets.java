package io.github.redisonmesos.broker.security;

/**
 * Builds the secret box outside a Spring context.
 */
public final class TestSecrets {

	/** A fixed test key: base64 of 32 bytes. */
	public static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	/** Another test key, as after a rotation. */
	public static final String OTHER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

	private TestSecrets() {
	}

	public static SecretBox box() {
		return box(KEY, "");
	}

	public static SecretBox box(String key, String previousKey) {
		return new SecretBox(new SecretsProperties(key, previousKey));
	}

}
