package io.github.redisonmesos.counter.counting;

import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/counter}'s body. Between two answers from Consul only the counter
 * changes: Jackson writes the rest once, and each request joins the two parts around its
 * number. Under load, serializing the whole reading per request cost more than the
 * increment itself (bench/profile.sh); the JSON is the same, byte for byte.
 */
final class ReadingJson {

	// a value no real count takes, so its text marks where the counter goes
	private static final long MARK = Long.MIN_VALUE;

	private static final String MARKED_FIELD = "\"counter\":" + MARK;

	private final ObjectMapper mapper;

	private volatile Frame frame;

	ReadingJson(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	String write(CounterReading reading) {
		Frame current = this.frame;
		if (current == null || !current.fits(reading)) {
			current = frame(reading);
			this.frame = current;
		}
		return current.before() + reading.counter() + current.after();
	}

	private Frame frame(CounterReading reading) {
		CounterReading marked = new CounterReading(reading.consulHost(), reading.consulPort(),
				reading.consulDatacenter(), reading.redisHost(), reading.redisPort(), reading.redisUser(), MARK,
				reading.resolvedAt(), reading.redisRole(), reading.sentinelsFrom());
		String json;
		try {
			json = this.mapper.writeValueAsString(marked);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write the counter's JSON", ex);
		}
		// inside a JSON string a quote is escaped, so the unescaped field text is the
		// field itself
		int at = json.indexOf(MARKED_FIELD);
		String field = "\"counter\":";
		return new Frame(marked, json.substring(0, at + field.length()), json.substring(at + MARKED_FIELD.length()));
	}

	private record Frame(CounterReading sample, String before, String after) {

		boolean fits(CounterReading reading) {
			return Objects.equals(this.sample.resolvedAt(), reading.resolvedAt())
					&& Objects.equals(this.sample.redisHost(), reading.redisHost())
					&& this.sample.redisPort() == reading.redisPort()
					&& Objects.equals(this.sample.redisUser(), reading.redisUser())
					&& Objects.equals(this.sample.consulHost(), reading.consulHost())
					&& this.sample.consulPort() == reading.consulPort()
					&& Objects.equals(this.sample.redisRole(), reading.redisRole())
					&& Objects.equals(this.sample.sentinelsFrom(), reading.sentinelsFrom())
					&& Objects.equals(this.sample.consulDatacenter(), reading.consulDatacenter());
		}

	}

}
