package io.github.redisonmesos.localplatform.process;

/**
 * The agent cannot offer the host ports a task asks for, so the task waits for them as a
 * Marathon app waits for a matching offer.
 */
public class PortsUnavailableException extends Exception {

	PortsUnavailableException(String message) {
		super(message);
	}

}
