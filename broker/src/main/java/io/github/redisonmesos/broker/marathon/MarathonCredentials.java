package io.github.redisonmesos.broker.marathon;

import io.github.redisonmesos.broker.security.RequiredSettingException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;

/**
 * What the broker authenticates to Marathon with, on every call: HTTP basic credentials
 * (Marathon's {@code --http_credentials}) or a DC/OS service account token, sent as
 * {@code Authorization: token=<token>}; none for a Marathon without authentication.
 *
 * @param username the basic user ({@code MARATHON_USERNAME})
 * @param password its password ({@code MARATHON_PASSWORD})
 * @param token the DC/OS token ({@code MARATHON_TOKEN})
 */
@ConfigurationProperties("broker.marathon.credentials")
public record MarathonCredentials(@DefaultValue("") String username, @DefaultValue("") String password,
		@DefaultValue("") String token) {

	/** No authentication. */
	public static final MarathonCredentials NONE = new MarathonCredentials("", "", "");

	/** What a 401 or 403 from Marathon names: the variables, never their values. */
	static final String VARIABLES = "MARATHON_USERNAME and MARATHON_PASSWORD (HTTP basic) or MARATHON_TOKEN "
			+ "(a DC/OS service account token), the credentials the broker sends to Marathon";

	public MarathonCredentials {
		username = StringUtils.hasText(username) ? username.strip() : "";
		password = (password != null) ? password : "";
		token = StringUtils.hasText(token) ? token.strip() : "";
		if (!token.isEmpty() && (!username.isEmpty() || !password.isEmpty())) {
			throw new RequiredSettingException(
					"MARATHON_TOKEN and MARATHON_USERNAME/MARATHON_PASSWORD are both set; the broker sends one.",
					"Set MARATHON_TOKEN for a DC/OS service account, or MARATHON_USERNAME and MARATHON_PASSWORD for "
							+ "Marathon's --http_credentials, not both.");
		}
		if (username.isEmpty() != password.isEmpty()) {
			throw new RequiredSettingException("Only one of MARATHON_USERNAME and MARATHON_PASSWORD is set.",
					"Set both (Marathon's --http_credentials user:password), or neither.");
		}
	}

	/**
	 * Set the {@code Authorization} header these credentials make, if any.
	 * @param headers the headers every Marathon call sends
	 */
	void apply(HttpHeaders headers) {
		if (!this.token.isEmpty()) {
			headers.set(HttpHeaders.AUTHORIZATION, "token=" + this.token);
		}
		else if (!this.username.isEmpty()) {
			headers.setBasicAuth(this.username, this.password);
		}
	}

	@Override
	public String toString() {
		// secrets: say only which kind is set
		return "MarathonCredentials[" + (!this.token.isEmpty() ? "token"
				: !this.username.isEmpty() ? "basic username=" + this.username : "none") + "]";
	}

}
