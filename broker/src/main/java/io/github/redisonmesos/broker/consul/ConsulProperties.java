package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Where the broker and the bound apps reach Consul, with which ACL tokens, and where the
 * broker keeps its records.
 *
 * @param url Consul's HTTP API as the broker reaches it ({@code CONSUL_URL})
 * @param appUrl Consul's HTTP API as bound apps reach it ({@code CONSUL_APP_URL})
 * @param kvPrefix KV prefix of the broker's records, segments separated by {@code /},
 * without a leading or trailing one
 * @param timeout connect and read timeout of each Consul call
 * @param token ACL token the broker sends as {@code X-Consul-Token} on every call
 * ({@code CONSUL_TOKEN}); empty for a Consul without ACLs
 * @param appToken ACL token handed to bound apps as {@code consul_token}
 * ({@code CONSUL_APP_TOKEN}); empty for none
 */
@Validated
@ConfigurationProperties("broker.consul")
public record ConsulProperties(@NotNull @DefaultValue("http://127.0.0.1:8500") URI url,
		@NotNull @DefaultValue("http://127.0.0.1:8500") URI appUrl,
		@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*") @DefaultValue("osb-redis") String kvPrefix,
		@NotNull @DefaultValue("5s") Duration timeout, @DefaultValue("") String token,
		@DefaultValue("") String appToken) {

	public ConsulProperties {
		// blank means "not set" everywhere, so that an empty variable sends no header
		token = StringUtils.hasText(token) ? token.strip() : "";
		appToken = StringUtils.hasText(appToken) ? appToken.strip() : "";
	}

	/**
	 * Whether the broker sends an ACL token to Consul.
	 * @return whether {@code CONSUL_TOKEN} is set
	 */
	public boolean hasToken() {
		return !this.token.isEmpty();
	}

	/**
	 * Whether bound apps get an ACL token.
	 * @return whether {@code CONSUL_APP_TOKEN} is set
	 */
	public boolean hasAppToken() {
		return !this.appToken.isEmpty();
	}

	@Override
	public String toString() {
		// the tokens are secrets: say only whether they are set
		return "ConsulProperties[url=" + this.url + ", appUrl=" + this.appUrl + ", kvPrefix=" + this.kvPrefix
				+ ", timeout=" + this.timeout + ", token=" + (hasToken() ? "(set)" : "(none)") + ", appToken="
				+ (hasAppToken() ? "(set)" : "(none)") + "]";
	}

}
