package io.github.redisonmesos.broker.tls;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * The one delivery of an instance's key and certificate that its Marathon app may fetch:
 * by the SHA-256 of its single-use token only (the token itself is in the app's
 * {@code fetch} URI and nowhere else), and whether it was used.
 *
 * @param instanceId the instance id
 * @param tokenSha256 SHA-256 (hex) of the token
 * @param issuedAt when the token was made (the app rendered with it)
 * @param deliveredAt when a fetch used it, {@code null} until then
 * @param node the node of an HA instance whose app fetches it (each node has its own key
 * and certificate), {@code null} for a single Redis
 */
public record TlsDelivery(String instanceId, String tokenSha256, Instant issuedAt, Instant deliveredAt, Integer node) {

	/**
	 * The delivery of a single Redis.
	 */
	public TlsDelivery(String instanceId, String tokenSha256, Instant issuedAt, Instant deliveredAt) {
		this(instanceId, tokenSha256, issuedAt, deliveredAt, null);
	}

	/**
	 * Which node fetches it.
	 * @return the HA node's index, empty for a single Redis
	 */
	public OptionalInt nodeIndex() {
		return (this.node != null) ? OptionalInt.of(this.node) : OptionalInt.empty();
	}

	/**
	 * Whether a fetch used the token.
	 * @return true once delivered
	 */
	public boolean delivered() {
		return this.deliveredAt != null;
	}

	TlsDelivery deliveredAt(Instant at) {
		return new TlsDelivery(this.instanceId, this.tokenSha256, this.issuedAt, at, this.node);
	}

}
