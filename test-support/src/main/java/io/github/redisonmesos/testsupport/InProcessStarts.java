package io.github.redisonmesos.testsupport;

import java.util.function.Supplier;

/**
 * Starts Spring Boot applications inside a test JVM one at a time. The end-to-end tiers
 * run several classes at once, and each may start a local platform or a broker in
 * process; Spring Boot initializes logging (Logback's one {@code LoggerContext} per JVM)
 * at each start, and two starts at once can break each other's: a run of
 * {@code scripts/test} failed a class with {@code ConcurrentModificationException} in
 * {@code LoggerContext.fireOnLevelChange}, thrown by {@code LogbackLoggingSystem} while
 * another class's platform started. A start holds the one lock of the JVM until its
 * context is refreshed (one to three seconds); what the applications do afterwards runs
 * side by side as before. Several starts at once would not be faster on 2 cores anyway.
 */
public final class InProcessStarts {

	private static final Object LOCK = new Object();

	private InProcessStarts() {
	}

	/**
	 * Run a start, alone among the starts of this JVM.
	 * @param <T> what the start returns, usually the application context
	 * @param start the start, e.g. {@code () -> builder.run(arguments)}
	 * @return what it returned
	 */
	public static <T> T alone(Supplier<T> start) {
		synchronized (LOCK) {
			return start.get();
		}
	}

}
