package io.github.redisonmesos.broker.tls;

import java.time.Instant;

/**
 * The one delivery of an instance's key and certificate that its Marathon app may fetch:
 * by the SHA-256 of its single-use token only (the token itself is in the app's
 * {@code fetch} URI and nowhere else), and whether it was used.
 *
 * @param instanceId the instance id
 * @param tokenSha256 SHA-256 (hex) of the token
 * @param issuedAt when the token was made (the app rendered with it)
 * @param deliveredAt when a fetch used it, {@code null} until then
 */
public record TlsDelivery(String instanceId, String tokenSha256, Instant issuedAt, Instant deliveredAt) {

	/**
	 * Whether a fetch used the token.
	 * @return true once delivered
	 */
	public boolean delivered() {
		return this.deliveredAt != null;
	}

	TlsDelivery deliveredAt(Instant at) {
		return new TlsDelivery(this.instanceId, this.tokenSha256, this.issuedAt, at);
	}

}
