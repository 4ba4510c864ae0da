package io.github.redisonmesos.broker.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTests {

	@ParameterizedTest
	@ValueSource(strings = { "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd", "a", "a1", "0-0" })
	void guidsAndShortNamesPass(String id) {
		assertThat(RequestIds.valid(id)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-a", "a-", "A", "a_b", "a.b", "..", "a/b", "a?b", "a&b", "a#b", "a%2Fb", "é", "a b",
			"a\nb" })
	void anythingElseFails(String id) {
		assertThat(RequestIds.valid(id)).isFalse();
	}

	@Test
	void theLongestIdKeepsTheConsulServiceNameADnsLabel() {
		assertThat(RequestIds.valid("a".repeat(57))).isTrue();
		assertThat(RequestIds.valid("a".repeat(58))).isFalse();
		assertThat(("redis-" + "a".repeat(57)).length()).isEqualTo(63);
		assertThat(RequestIds.valid(null)).isFalse();
	}

	@Test
	void quotingShortensAndReplacesWhatIsNotPrintableAscii() {
		assertThat(RequestIds.quote("a\nb\u00e9")).isEqualTo("'a?b?'");
		assertThat(RequestIds.quote("x".repeat(5000))).hasSize(65);
	}

}
