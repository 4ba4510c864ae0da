package io.github.redisonmesos.broker.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SecretBoxTests {

	private final SecretBox box = TestSecrets.box();

	@Test
	void sealedSecretOpensInItsOwnRecordAndHidesThePlainText() {
		Sealed sealed = this.box.seal("hunter2-password", "instance/a/admin");
		assertThat(sealed.value()).startsWith("v1.").doesNotContain("hunter2");
		assertThat(sealed.toString()).doesNotContain(sealed.value());
		assertThat(this.box.open(sealed, "instance/a/admin")).isEqualTo("hunter2-password");
	}

	@Test
	void sealingTwiceGivesTwoCiphertexts() {
		assertThat(this.box.seal("same", "c")).isNotEqualTo(this.box.seal("same", "c"));
	}

	@Test
	void aSealedSecretCopiedIntoAnotherRecordDoesNotOpen() {
		Sealed sealed = this.box.seal("hunter2", "instance/a/admin");
		assertThatExceptionOfType(UnreadableSecretException.class)
			.isThrownBy(() -> this.box.open(sealed, "instance/b/admin"))
			.withMessageContaining("instance/b/admin")
			.withMessageContaining("copied from another record");
	}

	@Test
	void anAlteredCiphertextDoesNotOpen() {
		Sealed sealed = this.box.seal("hunter2", "c");
		char[] chars = sealed.value().toCharArray();
		// a character inside the ciphertext: the last one may carry only padding bits,
		// which the decoder ignores, so changing it changed nothing in 1 of 4 runs
		int inside = sealed.value().lastIndexOf('.') + (chars.length - sealed.value().lastIndexOf('.')) / 2;
		chars[inside] = (chars[inside] == 'A') ? 'B' : 'A';
		assertThatExceptionOfType(UnreadableSecretException.class)
			.isThrownBy(() -> this.box.open(new Sealed(new String(chars)), "c"));
	}

	@Test
	void aSecretSealedWithAnUnknownKeyNamesBothVariables() {
		Sealed sealed = TestSecrets.box(TestSecrets.OTHER_KEY, "").seal("hunter2", "c");
		assertThatExceptionOfType(UnreadableSecretException.class).isThrownBy(() -> this.box.open(sealed, "c"))
			.withMessageContaining("BROKER_SECRETS_KEY")
			.withMessageContaining("BROKER_SECRETS_KEY_PREVIOUS")
			.withMessageNotContaining("hunter2");
	}

	@Test
	void plainTextWhereASealedSecretBelongsIsRefused() {
		assertThatExceptionOfType(UnreadableSecretException.class)
			.isThrownBy(() -> this.box.open(new Sealed("hunter2"), "c"))
			.withMessageContaining("not in the broker's sealed form");
	}

	@Test
	void afterARotationThePreviousKeyOpensAndOnlyTheCurrentOneSeals() {
		Sealed old = this.box.seal("hunter2", "c");
		SecretBox rotated = TestSecrets.box(TestSecrets.OTHER_KEY, TestSecrets.KEY);
		assertThat(rotated.open(old, "c")).isEqualTo("hunter2");
		assertThat(rotated.sealedWithOlderKey(old)).isTrue();
		Sealed resealed = rotated.seal("hunter2", "c");
		assertThat(rotated.sealedWithOlderKey(resealed)).isFalse();
		assertThat(TestSecrets.box(TestSecrets.OTHER_KEY, "").open(resealed, "c")).isEqualTo("hunter2");
	}

}
