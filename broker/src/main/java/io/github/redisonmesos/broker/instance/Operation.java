package io.github.redisonmesos.broker.instance;

import java.time.Instant;
import java.util.Locale;

/**
 * The last asynchronous operation on an instance, as kept in its record.
 *
 * @param type what the operation does
 * @param state where it stands
 * @param startedAt when it started (the operation timeout counts from here)
 * @param description what a person reads in {@code cf service}
 */
public record Operation(Type type, State state, Instant startedAt, String description) {

	public static Operation start(Type type, Instant now, String description) {
		return new Operation(type, State.IN_PROGRESS, now, description);
	}

	public Operation to(State state, String description) {
		return new Operation(this.type, state, this.startedAt, description);
	}

	/**
	 * Whether this operation is an unfinished one of the given type.
	 * @param type the type
	 * @return true while it is in progress
	 */
	public boolean inProgress(Type type) {
		return this.type == type && this.state == State.IN_PROGRESS;
	}

	/**
	 * Whether this operation is unfinished, whatever its type.
	 * @return true while it is in progress
	 */
	public boolean inProgress() {
		return this.state == State.IN_PROGRESS;
	}

	public boolean failed(Type type) {
		return this.type == type && this.state == State.FAILED;
	}

	/**
	 * Kinds of operation; the lower-case name is the OSB operation token.
	 */
	public enum Type {

		/** Create the Redis app. */
		PROVISION,
		/** Change the plan. */
		UPDATE,
		/** Remove the Redis app. */
		DEPROVISION;

		public String token() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * States of an operation.
	 */
	public enum State {

		/** Still running. */
		IN_PROGRESS,
		/** Done. */
		SUCCEEDED,
		/** Gave up; the description says why. */
		FAILED

	}

}
