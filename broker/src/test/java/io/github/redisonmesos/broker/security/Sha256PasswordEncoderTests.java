package io.github.redisonmesos.broker.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256PasswordEncoderTests {

	private final Sha256PasswordEncoder encoder = new Sha256PasswordEncoder();

	@Test
	void matchesOnlyTheEncodedPassword() {
		String stored = this.encoder.encode("broker-password");
		assertThat(stored).hasSize(64).doesNotContain("broker-password");
		assertThat(this.encoder.matches("broker-password", stored)).isTrue();
		assertThat(this.encoder.matches("broker-passworD", stored)).isFalse();
		assertThat(this.encoder.matches("", stored)).isFalse();
		assertThat(this.encoder.matches("broker-password", "not hex")).isFalse();
		assertThat(this.encoder.matches(null, stored)).isFalse();
	}

	@Test
	void neverAsksForItsEncodingToBeUpgraded() {
		assertThat(this.encoder.upgradeEncoding(this.encoder.encode("x"))).isFalse();
	}

}
