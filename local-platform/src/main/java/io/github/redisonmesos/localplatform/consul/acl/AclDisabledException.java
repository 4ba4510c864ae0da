package io.github.redisonmesos.localplatform.consul.acl;

/**
 * Consul's 401 {@code ACL support disabled} for an ACL endpoint while ACLs are off
 * ({@code agent/acl_endpoint.go}, {@code aclDisabled}).
 */
public class AclDisabledException extends RuntimeException {

	AclDisabledException() {
		super("ACL support disabled");
	}

}
