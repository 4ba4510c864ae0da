package io.github.redisonmesos.localplatform.consul.acl;

/**
 * Consul's 403 for a token that lacks a permission; the message is Consul's
 * ({@code acl/errors.go}, {@code PermissionDeniedError}), naming the token by its
 * AccessorID, never by its secret.
 */
public class PermissionDeniedException extends RuntimeException {

	PermissionDeniedException(String accessorId, String permission, String name) {
		super(message(accessorId, permission, name));
	}

	private static String message(String accessorId, String permission, String name) {
		boolean anonymous = AclStore.ANONYMOUS_ACCESSOR_ID.equals(accessorId);
		StringBuilder message = new StringBuilder("Permission denied: ");
		message.append(anonymous ? "anonymous token" : "token with AccessorID '" + accessorId + "'");
		message.append(" lacks permission '").append(permission).append("'");
		if (name != null && !name.isEmpty()) {
			message.append(" on \"").append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"");
		}
		if (anonymous) {
			message.append(". The anonymous token is used implicitly when a request does not specify a token.");
		}
		return message.toString();
	}

}
