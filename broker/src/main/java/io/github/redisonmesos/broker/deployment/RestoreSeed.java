package io.github.redisonmesos.broker.deployment;

import java.util.regex.Pattern;

/**
 * The backup a new instance's first start fills its empty volume with: the Mesos fetcher
 * downloads {@code uri} (a pre-signed GET of one object, valid for minutes) into the
 * sandbox, and the start command checks its SHA-256 and places it as the base of Redis's
 * append-only file (README, Backups and restore).
 *
 * @param backupId the backup's id, labelled on the app while it carries the fetch
 * @param uri the pre-signed URL: anyone holding it reads this one object until it
 * expires, so it is kept out of {@link #toString()} and of log lines
 * @param sha256 the object's recorded SHA-256 (hex), which the node checks before it
 * places the file; not a secret
 */
public record RestoreSeed(String backupId, String uri, String sha256) {

	private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

	/** What the settings label of an app that carries a restore's fetch ends with. */
	public static final String LABEL_SUFFIX = ";restore=";

	/**
	 * Whether an app's settings label says it carries a restore's fetch.
	 * @param label the label, {@code null} for none
	 * @return true for an app the broker still has to redeploy without the fetch
	 */
	public static boolean carriesFetch(String label) {
		return label != null && label.contains(LABEL_SUFFIX);
	}

	/**
	 * A settings label without the restore's mark.
	 * @param label the label, {@code null} for none
	 * @return the label the app has once redeployed without the fetch
	 */
	public static String withoutFetch(String label) {
		return carriesFetch(label) ? label.substring(0, label.indexOf(LABEL_SUFFIX)) : label;
	}

	/** The file the fetcher writes into the sandbox. */
	public static final String SANDBOX_FILE = "restore.rdb";

	private static final Pattern BACKUP_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	public RestoreSeed {
		if (backupId == null || !BACKUP_ID.matcher(backupId).matches()) {
			throw new IllegalArgumentException("not a backup id: it goes into a start command and a label");
		}
		if (sha256 == null || !SHA256.matcher(sha256).matches()) {
			throw new IllegalArgumentException("backup " + backupId + " has no SHA-256 of 64 hex digits");
		}
	}

	@Override
	public String toString() {
		return "RestoreSeed[backupId=" + this.backupId + "]";
	}

}
