package io.github.redisonmesos.localplatform.consul.acl;

/**
 * Consul's 403 {@code ACL not found}: a token, policy or token id that does not exist
 * ({@code acl.ErrNotFound}).
 */
public class AclNotFoundException extends RuntimeException {

	AclNotFoundException() {
		super("ACL not found");
	}

}
