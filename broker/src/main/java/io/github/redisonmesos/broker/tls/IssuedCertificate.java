package io.github.redisonmesos.broker.tls;

/**
 * One instance's certificate and private key, and the CA that signed it, all PEM: what
 * the node writes to its volume. The key is never in {@link #toString()}.
 *
 * @param certificate the instance's certificate
 * @param privateKey its private key, PKCS#8
 * @param caCertificate the operator's CA certificate
 */
public record IssuedCertificate(String certificate, String privateKey, String caCertificate) {

	@Override
	public String toString() {
		return "IssuedCertificate[certificate=(PEM), privateKey=(hidden), caCertificate=(PEM)]";
	}

}
