package io.github.redisonmesos.broker.deployment;

import java.util.Locale;
import java.util.Map;

/**
 * Whether an instance's Redis speaks TLS: the {@code tls} parameter, its default an
 * operator's setting ({@code BROKER_TLS_DEFAULT_MODE}).
 */
public enum TlsMode {

	/** The plain port only, as before TLS. */
	DISABLED,
	/** A TLS port beside the plain one. */
	OPTIONAL,
	/** The TLS port only: a plain connection is refused. */
	REQUIRED;

	/**
	 * The mode a parameter names.
	 * @param value {@code disabled}, {@code optional} or {@code required}
	 * @return the mode
	 * @throws IllegalArgumentException for any other value
	 */
	public static TlsMode of(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	/**
	 * The mode an instance's recorded parameters name.
	 * @param parameters the instance's parameters
	 * @return the mode of its {@code tls} parameter; {@link #DISABLED} without one (an
	 * instance provisioned before TLS) or with a value that names none
	 */
	public static TlsMode ofParameters(Map<String, Object> parameters) {
		Object value = (parameters != null) ? parameters.get("tls") : null;
		for (TlsMode mode : values()) {
			if (mode.parameter().equals(value)) {
				return mode;
			}
		}
		return DISABLED;
	}

	/**
	 * Whether Redis listens with TLS at all.
	 * @return true unless {@link #DISABLED}
	 */
	public boolean on() {
		return this != DISABLED;
	}

	/**
	 * The name the {@code tls} parameter uses.
	 * @return e.g. {@code required}
	 */
	public String parameter() {
		return name().toLowerCase(Locale.ROOT);
	}

}
