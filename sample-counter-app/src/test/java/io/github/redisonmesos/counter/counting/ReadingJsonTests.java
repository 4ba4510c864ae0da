package io.github.redisonmesos.counter.counting;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class ReadingJsonTests {

	private final ObjectMapper mapper = Jackson2ObjectMapperBuilder.json().build();

	private final ReadingJson json = new ReadingJson(this.mapper);

	@Test
	void writesWhatJacksonWritesForTheWholeReadingWhateverTheValues() throws Exception {
		List<CounterReading> readings = List.of(reading("b-1", 1, "2026-01-02T03:04:05Z"),
				reading("b-1", 42, "2026-01-02T03:04:05Z"), reading("b-1", Long.MAX_VALUE, "2026-01-02T03:04:05Z"),
				reading(null, 7, "2026-01-02T03:04:05Z"), reading("b-1", 8, "2026-01-02T03:09:00Z"),
				// a user name holding the very text that marks the counter's place
				reading("x\",\"counter\":" + Long.MIN_VALUE + ",\"été", 9, "2026-01-02T03:09:00Z"),
				reading("b-1", -3, "2026-01-02T03:09:00Z"));

		for (CounterReading reading : readings) {
			assertThat(this.json.write(reading)).isEqualTo(this.mapper.writeValueAsString(reading));
		}
	}

	@Test
	void aSingleRedisReadingHasNoSentinelKeysAndAnHaOneHasBoth() throws Exception {
		CounterReading single = reading("b-1", 5, "2026-01-02T03:04:05Z");
		CounterReading ha = new CounterReading("consul.service.consul", 8500, "dc1", "10.0.0.8", 31545, "b-1", 6,
				"2026-01-02T03:04:05Z", "master", "Consul service 'sntnl-1'");

		assertThat(this.json.write(single)).doesNotContain("redisRole").doesNotContain("sentinelsFrom");
		assertThat(this.json.write(ha)).isEqualTo(this.mapper.writeValueAsString(ha))
			.contains("\"redisRole\":\"master\"")
			.contains("\"sentinelsFrom\":\"Consul service 'sntnl-1'\"");
		assertThat(this.json.write(single)).isEqualTo(this.mapper.writeValueAsString(single));
	}

	private static CounterReading reading(String user, long counter, String resolvedAt) {
		return new CounterReading("consul.service.consul", 8500, "dc1", "10.0.0.7", 31544, user, counter, resolvedAt);
	}

}
