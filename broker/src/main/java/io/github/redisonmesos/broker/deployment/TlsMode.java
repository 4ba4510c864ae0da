package io.github.redisonmesos.broker.deployment;

import java.util.Locale;

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
