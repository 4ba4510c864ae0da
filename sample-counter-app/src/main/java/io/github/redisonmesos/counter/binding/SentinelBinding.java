package io.github.redisonmesos.counter.binding;

import java.util.List;

/**
 * What an {@code ha} binding adds: the Sentinels that name the primary, and how to reach
 * them (docs/INTERFACES.md).
 *
 * @param masterName the name the Sentinels know the primary by ({@code master_name})
 * @param sentinels the Sentinels listed at bind time ({@code sentinels}), the fallback
 * when Consul lists none
 * @param username the user on the Sentinels ({@code sentinel_username}), {@code null} for
 * none
 * @param password its password ({@code sentinel_password}), {@code null} for none
 * @param consulService the Consul service the Sentinels are registered under
 * ({@code consul_sentinel_service}), {@code null} when the binding names none
 */
public record SentinelBinding(String masterName, List<Address> sentinels, String username, String password,
		String consulService) {

	@Override
	public String toString() {
		// never the password
		return "SentinelBinding[masterName=" + this.masterName + ", sentinels=" + this.sentinels + ", username="
				+ this.username + ", password=" + ((this.password != null) ? "<set>" : "<none>") + ", consulService="
				+ this.consulService + "]";
	}

	/**
	 * One Sentinel's address as the binding lists it.
	 *
	 * @param host its host
	 * @param port its port
	 */
	public record Address(String host, int port) {

		@Override
		public String toString() {
			return this.host + ":" + this.port;
		}

	}

}
