package io.github.redisonmesos.localplatform.marathon;

/**
 * Told about task health as Marathon's event bus tells marathon-consul: after the change
 * that caused it, outside the registry's lock, on one thread and in the order of the
 * changes. Implementations must be quick: the next notifications wait for them.
 */
public interface TaskObserver {

	/**
	 * A task passes all its health checks (or runs, when its app has none).
	 * @param task the task
	 */
	void taskHealthy(TaskInfo task);

	/**
	 * A task that was healthy fails a health check.
	 * @param task the task
	 */
	void taskUnhealthy(TaskInfo task);

	/**
	 * A task is being killed, has failed or has finished.
	 * @param task the task
	 */
	void taskGone(TaskInfo task);

}
