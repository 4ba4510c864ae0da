package io.github.redisonmesos.broker.backup;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Backup ids: the time the backup started and six random hex digits
 * ({@code 20261207T012233Z-a1b2c3}), so they sort by time and are safe in a URL, a KV key
 * and an object key as they are; an id from a request must match the same pattern.
 */
public final class BackupIds {

	private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final SecureRandom RANDOM = new SecureRandom();

	private BackupIds() {
	}

	static String next(Instant at) {
		byte[] random = new byte[3];
		RANDOM.nextBytes(random);
		return TIME.format(at) + "-" + HexFormat.of().formatHex(random);
	}

	/**
	 * Whether a string is a backup id.
	 * @param id the string
	 * @return true when it has the form of one
	 */
	public static boolean valid(String id) {
		return id != null && ID.matcher(id).matches();
	}

}
