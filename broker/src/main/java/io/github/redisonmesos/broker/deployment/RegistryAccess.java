package io.github.redisonmesos.broker.deployment;

/**
 * Where a bound app asks the service registry (Consul) for its Redis again after a move.
 *
 * @param url the registry's HTTP API as bound apps reach it
 * @param datacenter the registry's datacenter
 * @param token the ACL token bound apps send; empty for none
 */
public record RegistryAccess(String url, String datacenter, String token) {

	/**
	 * Whether bound apps get a token.
	 * @return whether one is set
	 */
	public boolean hasToken() {
		return !this.token.isEmpty();
	}

	@Override
	public String toString() {
		return "RegistryAccess[url=" + this.url + ", datacenter=" + this.datacenter + ", token="
				+ (hasToken() ? "(set)" : "(none)") + "]";
	}

}
