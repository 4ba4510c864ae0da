package io.github.redisonmesos.broker.tls;

import java.time.Duration;

import io.github.redisonmesos.broker.deployment.TlsMode;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * The operator's CA that signs each instance's certificate, and how long a certificate
 * lasts. Without a CA the instances have no TLS, as before.
 *
 * @param caCertificate the CA's certificate, PEM ({@code BROKER_TLS_CA_CERTIFICATE});
 * empty: TLS off
 * @param caPrivateKey the CA's private key, PEM, PKCS#8 or the traditional RSA/EC form
 * ({@code BROKER_TLS_CA_PRIVATE_KEY}); never logged, never in {@link #toString()}
 * @param defaultMode the {@code tls} of an instance whose parameters name none
 * ({@code BROKER_TLS_DEFAULT_MODE})
 * @param certificateValidity how long an instance's certificate is valid
 * ({@code BROKER_TLS_CERTIFICATE_VALIDITY})
 * @param renewBefore how long before its expiry a certificate is renewed
 * ({@code BROKER_TLS_RENEW_BEFORE})
 */
@Validated
@ConfigurationProperties("broker.tls")
public record InstanceTlsProperties(@DefaultValue("") String caCertificate, @DefaultValue("") String caPrivateKey,
		@NotNull @DefaultValue("disabled") TlsMode defaultMode,
		@NotNull @DefaultValue("365d") Duration certificateValidity,
		@NotNull @DefaultValue("30d") Duration renewBefore) {

	/** No CA, TLS off: the broker as before TLS. */
	public static final InstanceTlsProperties OFF = new InstanceTlsProperties("", "", TlsMode.DISABLED,
			Duration.ofDays(365), Duration.ofDays(30));

	public InstanceTlsProperties {
		caCertificate = StringUtils.hasText(caCertificate) ? caCertificate.strip() : "";
		caPrivateKey = StringUtils.hasText(caPrivateKey) ? caPrivateKey.strip() : "";
		if (certificateValidity != null && renewBefore != null && renewBefore.compareTo(certificateValidity) >= 0) {
			// every certificate would be due as soon as it is delivered: a restart loop
			throw new IllegalArgumentException("BROKER_TLS_RENEW_BEFORE (" + renewBefore
					+ ") must be shorter than BROKER_TLS_CERTIFICATE_VALIDITY (" + certificateValidity + ")");
		}
	}

	/**
	 * Whether the operator gave a CA.
	 * @return true with a CA certificate or key (both are then required)
	 */
	public boolean configured() {
		return !this.caCertificate.isEmpty() || !this.caPrivateKey.isEmpty();
	}

	@Override
	public String toString() {
		return "InstanceTlsProperties[caCertificate=" + (this.caCertificate.isEmpty() ? "none" : "(PEM)")
				+ ", caPrivateKey=" + (this.caPrivateKey.isEmpty() ? "none" : "(hidden)") + ", defaultMode="
				+ this.defaultMode + ", certificateValidity=" + this.certificateValidity + ", renewBefore="
				+ this.renewBefore + "]";
	}

}
