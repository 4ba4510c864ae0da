package io.github.redisonmesos.broker.maintenance;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Versions ordered as semver.org 2.0.0 says, which is how "older" and "newer" are judged.
 */
class MaintenanceVersionTests {

	@Test
	void versionsOrderByPrecedenceWithPreReleasesBeforeTheirRelease() {
		List<String> ordered = List.of("0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
				"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0");
		for (int n = 1; n < ordered.size(); n++) {
			MaintenanceVersion older = MaintenanceVersion.parse(ordered.get(n - 1));
			MaintenanceVersion newer = MaintenanceVersion.parse(ordered.get(n));
			assertThat(newer.newerThan(older)).as("%s after %s", newer, older).isTrue();
			assertThat(older.newerThan(newer)).as("%s before %s", older, newer).isFalse();
		}
	}

	@Test
	void buildMetadataDoesNotCountForPrecedence() {
		assertThat(MaintenanceVersion.parse("1.1.0+abcdef").compareTo(MaintenanceVersion.parse("1.1.0"))).isZero();
	}

	@Test
	void whatIsNoSemanticVersionIsRefusedNamingIt() {
		for (String text : List.of("1.0", "v1.0.0", "01.0.0", "1.0.0-", "", "1.0.0 ")) {
			assertThat(MaintenanceVersion.valid(text)).as(text).isFalse();
			assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceVersion.parse(text))
				.withMessageContaining("'" + text + "' is not a semantic version");
		}
		assertThat(MaintenanceVersion.valid(null)).isFalse();
	}

}
