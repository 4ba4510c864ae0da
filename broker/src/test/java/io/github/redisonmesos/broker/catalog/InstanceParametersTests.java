package io.github.redisonmesos.broker.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.osb.BadRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class InstanceParametersTests {

	private final InstanceParameters parameters = TestCatalog.parameters();

	@Test
	void everySettingRedisTakesPasses() {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("maxmemory-policy", "allkeys-lru");
		all.put("notify-keyspace-events", "Egx");
		all.put("appendfsync", "always");
		all.put("timeout", 300);
		assertThatNoException().isThrownBy(() -> this.parameters.validate(all));
		assertThatNoException().isThrownBy(() -> this.parameters.validate(Map.of("notify-keyspace-events", "")));
		assertThatNoException().isThrownBy(() -> this.parameters.validate(Map.of("notify-keyspace-events", "KEA")));
		assertThatNoException().isThrownBy(() -> this.parameters.validate(null));
		assertThat(RedisSettings.of(this.parameters.effective(all)))
			.isEqualTo(new RedisSettings("allkeys-lru", "Egx", "always", 300));
	}

	@Test
	void theSchemasDefaultsAreRedissOwn() {
		assertThat(RedisSettings.of(this.parameters.effective(Map.of()))).isEqualTo(RedisSettings.DEFAULTS);
	}

	@Test
	void aRecordedParameterTheSchemaRefusesNeverReachesRedis() {
		// a record written before parameters were validated
		Map<String, Object> recorded = Map.of("maxmemory-policy", "lru", "timeout", "ten", "foo", 1, "appendfsync",
				"always");
		assertThat(RedisSettings.of(this.parameters.effective(recorded)))
			.isEqualTo(new RedisSettings("noeviction", "", "always", 0));
		assertThat(this.parameters.effective(recorded)).doesNotContainKey("foo");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "maxmemory-policy|lru|enumeration", "maxmemory-policy|7|string expected",
					"notify-keyspace-events|Q|does not match", "notify-keyspace-events|gx|does not match",
					"appendfsync|no|enumeration", "timeout|-1|minimum", "timeout|86401|maximum", "timeout|ten|found",
					"timeout|1.5|found", "maxmemory|1gb|not a parameter this broker takes" })
	void aBadValueIsRefusedNamingTheParameter(String name, String value, String why) {
		Map<String, Object> bad = Map.of(name, typed(value));
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> this.parameters.validate(bad))
			.withMessageContaining("'" + name + "'")
			.withMessageContaining(why);
	}

	// numbers as JSON numbers, the rest as strings
	private static Object typed(String value) {
		if (value.matches("-?[0-9]+")) {
			return Integer.parseInt(value);
		}
		return value.matches("-?[0-9]+\\.[0-9]+") ? Double.parseDouble(value) : value;
	}

}
