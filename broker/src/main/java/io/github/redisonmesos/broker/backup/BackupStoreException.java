package io.github.redisonmesos.broker.backup;

/**
 * The backup store could not do what was asked: unreachable, refusing the credentials, or
 * missing the object.
 */
public class BackupStoreException extends RuntimeException {

	public BackupStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
