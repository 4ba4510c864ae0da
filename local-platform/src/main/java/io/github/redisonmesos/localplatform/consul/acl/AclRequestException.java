package io.github.redisonmesos.localplatform.consul.acl;

/**
 * A token or policy request Consul would refuse (an invalid name, unknown policy, rules
 * it cannot parse): 400 with the reason.
 */
public class AclRequestException extends RuntimeException {

	AclRequestException(String message) {
		super(message);
	}

}
