package io.github.redisonmesos.broker.security;

/**
 * A setting the broker cannot run without is missing or malformed; start-up stops with
 * one sentence that names the variable and one that says what to do.
 */
public class RequiredSettingException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String action;

	public RequiredSettingException(String description, String action) {
		super(description);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
