package io.github.redisonmesos.counter.counting;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The same count as JSON, for scripts (shape fixed in docs/INTERFACES.md).
 */
@RestController
class CounterApiController {

	private final CounterService counterService;

	private final ReadingJson json;

	CounterApiController(CounterService counterService, ObjectMapper mapper) {
		this.counterService = counterService;
		this.json = new ReadingJson(mapper);
	}

	/**
	 * The count as JSON.
	 * @return the JSON when counted at once; otherwise a future of it, completed while no
	 * thread waits for Redis
	 */
	@GetMapping(path = "/api/counter", produces = MediaType.APPLICATION_JSON_VALUE)
	Object counter() {
		CompletableFuture<CounterReading> counting = this.counterService.increment();
		if (counting.isDone()) {
			// the usual case stays synchronous: no async dispatch
			return this.json.write(counting.join());
		}
		return counting.thenApply(this.json::write);
	}

	@ExceptionHandler(CounterUnavailableException.class)
	@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
	ErrorBody unavailable(CounterUnavailableException ex) {
		return new ErrorBody(ex.kind().wireName(), ex.getMessage());
	}

	/**
	 * The 503 body.
	 *
	 * @param error one of {@code consul-unreachable}, {@code consul-acl-denied},
	 * {@code no-passing-instance}, {@code sentinel-unreachable},
	 * {@code redis-unreachable}, {@code redis-auth-failed}, {@code redis-refused}
	 * @param message what the app tried and what went wrong
	 */
	record ErrorBody(String error, String message) {
	}

}
