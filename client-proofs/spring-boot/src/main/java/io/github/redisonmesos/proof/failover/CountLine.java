package io.github.redisonmesos.proof.failover;

/**
 * The line each failover proof prints per attempt, read by {@code scripts/client-proofs}:
 * {@code count ok <epoch ms> <n>} once a replica acknowledged increment n, else
 * {@code count fail <epoch ms> <why>}.
 */
final class CountLine {

	/** How long WAIT waits for a replica, in milliseconds. */
	static final int WAIT_MILLIS = 1000;

	/**
	 * The pause after each attempt, in milliseconds: about 100 counts a second, every
	 * client of the proof alike.
	 */
	static final long PAUSE_MILLIS = 10;

	private CountLine() {
	}

	static void acknowledged(Long count, Long replicas) {
		if (replicas != null && replicas >= 1) {
			System.out.println("count ok " + System.currentTimeMillis() + " " + count);
		}
		else {
			failed("WAIT: no replica acknowledged " + count);
		}
	}

	static void failed(Exception ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		failed(ex.getClass().getSimpleName() + ": " + ex.getMessage()
				+ ((cause != ex) ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : ""));
	}

	static void failed(String why) {
		System.out.println("count fail " + System.currentTimeMillis() + " " + why.replace('\n', ' '));
	}

}
