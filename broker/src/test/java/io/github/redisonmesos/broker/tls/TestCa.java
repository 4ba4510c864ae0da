package io.github.redisonmesos.broker.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An operator's intermediate CA made at test time, as PEM: what
 * {@code BROKER_TLS_CA_CERTIFICATE} and {@code BROKER_TLS_CA_PRIVATE_KEY} hold.
 *
 * @param certificate the CA's certificate
 * @param certificatePem its PEM
 * @param privateKeyPem its key, PKCS#8 PEM
 */
public record TestCa(X509Certificate certificate, String certificatePem, String privateKeyPem) {

	public static TestCa generate(String algorithm, String name) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
		generator.initialize(algorithm.equals("RSA") ? 2048 : 256);
		KeyPair pair = generator.generateKeyPair();
		Instant now = Instant.now();
		X500Name subject = new X500Name("CN=" + name);
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
				Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
				pair.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		String signature = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
		X509Certificate certificate = new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
		return new TestCa(certificate, InstanceCertificates.pem(certificate),
				InstanceCertificates.pem(pair.getPrivate()));
	}

	/**
	 * The broker's signer with this CA.
	 * @return the signer
	 */
	public InstanceCertificates certificates() {
		return new InstanceCertificates(properties());
	}

	InstanceTlsProperties properties() {
		return new InstanceTlsProperties(this.certificatePem, this.privateKeyPem,
				io.github.redisonmesos.broker.deployment.TlsMode.DISABLED, Duration.ofDays(365), Duration.ofDays(30));
	}

}
