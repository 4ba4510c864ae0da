package io.github.redisonmesos.broker.remote;

import io.github.redisonmesos.broker.security.RequiredSettingException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Which Spring Boot SSL bundle (e.g. the operator's CA as PEM under
 * {@code spring.ssl.bundle.pem.<name>.truststore.certificate}) HTTPS to each dependency
 * trusts; empty: the JVM's trust store.
 *
 * @param marathonBundle the bundle for Marathon ({@code MARATHON_SSL_BUNDLE})
 * @param consulBundle the bundle for Consul ({@code CONSUL_SSL_BUNDLE})
 */
@ConfigurationProperties("broker.tls")
public record TlsProperties(@DefaultValue("") String marathonBundle, @DefaultValue("") String consulBundle) {

	/** No bundle for either: the JVM's trust store. */
	public static final TlsProperties NONE = new TlsProperties("", "");

	public TlsProperties {
		marathonBundle = StringUtils.hasText(marathonBundle) ? marathonBundle.strip() : "";
		consulBundle = StringUtils.hasText(consulBundle) ? consulBundle.strip() : "";
	}

	/**
	 * The bundle HTTPS to Marathon trusts.
	 * @param bundles the application's bundles
	 * @return the bundle, {@code null} for the JVM's trust store
	 */
	public SslBundle marathon(SslBundles bundles) {
		return bundle(this.marathonBundle, "MARATHON_SSL_BUNDLE", bundles);
	}

	/**
	 * The bundle HTTPS to Consul trusts.
	 * @param bundles the application's bundles
	 * @return the bundle, {@code null} for the JVM's trust store
	 */
	public SslBundle consul(SslBundles bundles) {
		return bundle(this.consulBundle, "CONSUL_SSL_BUNDLE", bundles);
	}

	private static SslBundle bundle(String name, String variable, SslBundles bundles) {
		if (name.isEmpty()) {
			return null;
		}
		try {
			return bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new RequiredSettingException(variable + " names the SSL bundle '" + name + "', which is not defined.",
					"Define it with the CA certificate (PEM, the text itself or a file: location) in "
							+ "SPRING_SSL_BUNDLE_PEM_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_')
							+ "_TRUSTSTORE_CERTIFICATE, or unset " + variable + " to trust the JVM's trust store.");
		}
	}

}
