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

	private static CounterReading reading(String user, long counter, String resolvedAt) {
		return new CounterReading("consul.service.consul", 8500, "dc1", "10.0.0.7", 31544, user, counter, resolvedAt);
	}

}
