package io.github.redisonmesos.counter.counting;

/**
 * A count could not be made; the message says what the app tried.
 */
class CounterUnavailableException extends RuntimeException {

	private final FailureKind kind;

	CounterUnavailableException(FailureKind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	FailureKind kind() {
		return this.kind;
	}

}
