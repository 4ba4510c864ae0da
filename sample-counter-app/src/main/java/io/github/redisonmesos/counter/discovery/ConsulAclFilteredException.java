package io.github.redisonmesos.counter.discovery;

/**
 * Consul answered, but its ACLs hid every passing instance of the service from the app's
 * token (header {@value AclFilterHeader#NAME}: true): waiting will not show them, the
 * token's policy must change. The message names the service, the permissions, where the
 * token comes from and the shipped policy's rules; never the token.
 */
class ConsulAclFilteredException extends EndpointLookupException {

	private static final String POLICY = "manifests/consul/apps-policy.hcl";

	ConsulAclFilteredException(String message) {
		super(message, null);
	}

	/**
	 * The failure of a listing of {@code service}.
	 * @param service the service asked for
	 * @param tokenSent whether the app sent a token (without one, Consul applied its
	 * agent's default token)
	 * @return the exception
	 */
	static ConsulAclFilteredException of(String service, boolean tokenSent) {
		String token = tokenSent
				? "the app's ACL token (consul_token in the binding's credentials, the broker's CONSUL_APP_TOKEN; "
						+ "without a binding, CONSUL_TOKEN) needs"
				: "the app sends no ACL token and the Consul agent's default token lacks them: give the app a token "
						+ "(consul_token in the binding's credentials, the broker's CONSUL_APP_TOKEN; without a "
						+ "binding, CONSUL_TOKEN) with";
		return new ConsulAclFilteredException("Consul's ACLs hid every passing instance of service '" + service
				+ "' from this app (" + AclFilterHeader.NAME + "): " + token + " service:read on '" + service
				+ "' and node:read on the nodes it runs on (" + POLICY + ": " + rule(service)
				+ " and node_prefix \"\" with policy \"read\")");
	}

	// the rule of the shipped policy that grants the service: the broker's services
	// share a prefix per kind
	private static String rule(String service) {
		for (String prefix : new String[] { "redis-", "sntnl-" }) {
			if (service.startsWith(prefix)) {
				return "service_prefix \"" + prefix + "\"";
			}
		}
		return "service \"" + service + "\"";
	}

}
