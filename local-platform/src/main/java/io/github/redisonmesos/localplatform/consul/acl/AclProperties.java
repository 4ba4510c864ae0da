package io.github.redisonmesos.localplatform.consul.acl;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ACL settings, under the platform's prefix (environment variables
 * {@code LOCAL_PLATFORM_CONSUL_ACL}, {@code LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN},
 * {@code LOCAL_PLATFORM_MARATHON_CONSUL_TOKEN}); a record of their own so that the
 * platform's main settings stay as they are.
 *
 * @param consulAcl {@code allow}: ACLs off, every token ignored (the default);
 * {@code deny}: ACLs on with {@code default_policy = "deny"}
 * @param consulManagementToken the SecretID of the management token (Consul's
 * {@code acl.tokens.initial_management}); required with {@code deny}
 * @param marathonConsulToken the token the marathon-consul bridge registers with
 * (marathon-consul's {@code --consul-token}); none: the anonymous token
 */
@Validated
@ConfigurationProperties("local-platform")
public record AclProperties(@DefaultValue("allow") Mode consulAcl, String consulManagementToken,
		String marathonConsulToken) {

	/**
	 * Whether ACLs are enforced.
	 * @return whether {@code consul-acl} is {@code deny}
	 */
	public boolean enabled() {
		return this.consulAcl == Mode.DENY;
	}

	/**
	 * {@code local-platform.consul-acl}.
	 */
	public enum Mode {

		/** ACLs off, as without {@code acl.enabled}. */
		ALLOW,
		/** ACLs on, {@code default_policy = "deny"}. */
		DENY

	}

}
