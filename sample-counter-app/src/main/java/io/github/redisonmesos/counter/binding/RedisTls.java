package io.github.redisonmesos.counter.binding;

import java.util.regex.Pattern;

/**
 * TLS to the bound Redis, as its binding asks (docs/TLS.md, Bindings): trust only the
 * binding's {@code ca_certificate}, and check that the server's certificate names
 * {@link #serverName()} when there is one.
 *
 * @param caCertificate the CA that signed the instance's certificate (PEM,
 * {@code ca_certificate})
 * @param port the TLS port beside a plain one ({@code tls_port} with a {@code redis://}
 * uri: {@code tls: optional}), or 0 when the port discovery gives is the TLS port itself
 * (a {@code rediss://} uri: {@code tls: required})
 * @param serverName the DNS name the certificate must name: the binding's {@code host}
 * when it is a name, not an address; {@code null} when the binding gives an address (then
 * the host discovery gives is checked when it is a name)
 */
public record RedisTls(String caCertificate, int port, String serverName) {

	private static final Pattern ADDRESS = Pattern.compile("[0-9.]+|.*:.*");

	/**
	 * The port to open TLS on, given the one discovery lists.
	 * @param discovered the port Consul (or Sentinel) lists for Redis
	 * @return {@link #port()} when the binding gives a TLS port beside the plain one,
	 * else {@code discovered}
	 */
	public int portFor(int discovered) {
		return (this.port != 0) ? this.port : discovered;
	}

	/**
	 * Whether a host is a DNS name rather than an IPv4 or IPv6 address: only names are
	 * checked against the certificate.
	 * @param host a host
	 * @return whether it is a name
	 */
	public static boolean isName(String host) {
		return host != null && !host.isEmpty() && !ADDRESS.matcher(host).matches();
	}

	@Override
	public String toString() {
		return "RedisTls[port=" + ((this.port != 0) ? this.port : "discovered") + ", serverName=" + this.serverName
				+ "]";
	}

}
