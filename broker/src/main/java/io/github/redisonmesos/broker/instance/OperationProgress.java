package io.github.redisonmesos.broker.instance;

import java.time.Clock;
import java.time.Duration;

/**
 * How an unfinished operation reads while it waits, and when it gives up: in progress
 * with what it waits for, or failed once {@code broker.provision.timeout} has passed
 * since it started. An HA instance's update says it rolls.
 */
public final class OperationProgress {

	/**
	 * What an update does, as {@code last_operation} says while it runs: a new plan or
	 * new settings are a new app definition, which Marathon starts as a new task.
	 */
	public static final String RESTARTING = "restarting Redis with the instance's plan and settings (Marathon replaces the "
			+ "task; the data stays on the volume)";

	/**
	 * What an update of an HA instance does, as {@code last_operation} says while it
	 * runs: one node at a time.
	 */
	public static final String ROLLING = "rolling update";

	/**
	 * What a change of {@code tls} on an HA instance does, as {@code last_operation} says
	 * while it runs: every node at once (docs/TLS.md, Changing tls on an HA instance).
	 */
	public static final String TLS_CHANGE = "changing tls, every node restarting at once";

	/**
	 * The description a change of {@code tls} on an HA instance starts with.
	 * @param to the mode the nodes restart with
	 * @param since what they run now, e.g. {@code from disabled}
	 * @return what the update does and what it costs
	 */
	public static String tlsChange(String to, String since) {
		return TLS_CHANGE + " (to " + to + ", " + since + "; nodes with and without TLS cannot replicate from or "
				+ "watch each other, so all restart together: Redis is unreachable until the primary is back with "
				+ "the new transport, and apps need their bindings' new credentials; the data stays on the volumes)";
	}

	/**
	 * Whether an update restarts every node of an HA instance at once, a change of
	 * {@code tls}: its description as the update started says so (the record keeps it
	 * until the update ends).
	 * @param operation the operation as recorded
	 * @return true for such an update
	 */
	public static boolean restartsTogether(Operation operation) {
		return operation.type() == Operation.Type.UPDATE && operation.description() != null
				&& operation.description().contains(TLS_CHANGE);
	}

	private final Duration timeout;

	private final Clock clock;

	public OperationProgress(ProvisionProperties properties, Clock clock) {
		this.timeout = properties.timeout();
		this.clock = clock;
	}

	/**
	 * The operation waiting for something (rolling, for an HA instance's update).
	 * @param record the record whose operation it is
	 * @param waiting what it waits for
	 * @return the operation in progress, or failed once timed out
	 */
	public Operation waiting(InstanceRecord record, String waiting) {
		return (record.nodes() > 1 && record.operation().type() == Operation.Type.UPDATE)
				? rolling(record.operation(), waiting, record.instanceId())
				: timedOutOr(record.operation(), waiting, record.instanceId());
	}

	/**
	 * The operation waiting for something, an update restarting Redis.
	 * @param operation the operation
	 * @param waiting what it waits for
	 * @param instanceId the instance
	 * @return the operation in progress, or failed once timed out
	 */
	public Operation timedOutOr(Operation operation, String waiting, String instanceId) {
		return timedOutOr(operation, waiting, instanceId,
				(operation.type() == Operation.Type.UPDATE) ? RESTARTING + ": " + waiting : waiting);
	}

	/**
	 * An HA instance's rolling update (or change of {@code tls}) waiting for something.
	 * @param operation the update
	 * @param waiting what it waits for
	 * @param instanceId the instance
	 * @return the update in progress, or failed once timed out
	 */
	public Operation rolling(Operation operation, String waiting, String instanceId) {
		String what = (restartsTogether(operation) ? TLS_CHANGE : ROLLING) + ": " + waiting;
		return timedOutOr(operation, what, instanceId, what);
	}

	/**
	 * The operation failed for a reason retrying cannot change by itself; a change of
	 * {@code tls} on an HA instance says it was one, so that the same request again
	 * restarts every node at once again and says so.
	 * @param operation the operation
	 * @param why what failed
	 * @return the operation failed
	 */
	public static Operation failed(Operation operation, String why) {
		return operation.to(Operation.State.FAILED, restartsTogether(operation) ? TLS_CHANGE + ": " + why : why);
	}

	/**
	 * The operation done, Redis running; an update says that Redis restarted and kept its
	 * data.
	 * @param operation the operation
	 * @param running what runs
	 * @return the operation succeeded
	 */
	public static Operation running(Operation operation, String running) {
		return operation.to(Operation.State.SUCCEEDED,
				(operation.type() == Operation.Type.UPDATE)
						? running + ", restarted with the instance's plan and settings; the data stayed on the volume"
						: running);
	}

	private Operation timedOutOr(Operation operation, String waiting, String instanceId, String description) {
		Duration elapsed = Duration.between(operation.startedAt(), this.clock.instant());
		if (elapsed.compareTo(this.timeout) > 0) {
			return operation.to(Operation.State.FAILED,
					"gave up after " + readable(this.timeout) + " (broker.provision.timeout) " + waiting
							+ "; check the Marathon app of instance " + instanceId + " for the cause.");
		}
		return operation.to(Operation.State.IN_PROGRESS, description);
	}

	// "10 minutes" rather than PT10M; a timeout under a minute would otherwise read "0"
	private static String readable(Duration duration) {
		if (duration.toSecondsPart() == 0 && duration.toMinutes() > 0) {
			return duration.toMinutes() + " minutes";
		}
		return duration.toSeconds() + " seconds";
	}

}
