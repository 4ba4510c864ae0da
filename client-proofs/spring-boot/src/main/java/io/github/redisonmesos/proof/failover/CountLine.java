package io.github.redisonmesos.proof.failover;

/**
 * The line each failover proof prints per attempt, read by {@code scripts/client-proofs}:
 * {@code count ok <epoch ms> <n>} once a replica acknowledged increment n, else
 * {@code count fail <epoch ms> <why>}.
 */
final class CountLine {

	/** How long WAIT waits for a replica, in milliseconds. */
	static final int WAIT_MILLIS = 1000;

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
		failed(ex.getClass().getSimpleName() + ": " + ex.getMessage());
	}

	static void failed(String why) {
		System.out.println("count fail " + System.currentTimeMillis() + " " + why.replace('\n', ' '));
	}

}
