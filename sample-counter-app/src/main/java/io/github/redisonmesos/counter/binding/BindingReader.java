package io.github.redisonmesos.counter.binding;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.pivotal.cfenv.core.CfEnv;
import io.pivotal.cfenv.core.CfService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.StringUtils;

/**
 * Reads a {@link RedisBinding} from a {@code VCAP_SERVICES} document, falling back to the
 * demo's variables.
 */
final class BindingReader {

	private static final Logger logger = LoggerFactory.getLogger(BindingReader.class);

	private static final String REDIS = "redis";

	private final ConsulFallbackProperties fallback;

	private final RedisServiceProperties redisService;

	BindingReader(ConsulFallbackProperties fallback, RedisServiceProperties redisService) {
		this.fallback = fallback;
		this.redisService = redisService;
	}

	RedisBinding read(String vcapServices) {
		return fromVcapServices(vcapServices).orElseGet(this::fromVariables);
	}

	private Optional<RedisBinding> fromVcapServices(String vcapServices) {
		if (!StringUtils.hasText(vcapServices)) {
			return Optional.empty();
		}
		List<CfService> candidates = new CfEnv("{}", vcapServices).findAllServices()
			.stream()
			.filter(BindingReader::isRedis)
			.toList();
		for (CfService service : candidates) {
			Map<String, Object> credentials = service.getCredentials().getMap();
			if (!StringUtils.hasText(text(credentials, "consul_url"))) {
				// a Redis from another broker carries no Consul coordinates: nothing to
				// follow
				logger.warn("event=binding_skipped service={} reason=no_consul_url", service.getName());
				continue;
			}
			if (candidates.size() > 1) {
				logger.warn("event=binding_ambiguous chosen={} candidates={}", service.getName(), candidates.size());
			}
			return Optional.of(new RedisBinding(URI.create(text(credentials, "consul_url")),
					orElse(text(credentials, "consul_datacenter"), this.fallback.dc()),
					orElse(text(credentials, "consul_service"), this.redisService.service()), username(credentials),
					text(credentials, "password"), orNull(text(credentials, "consul_token")),
					"VCAP_SERVICES service " + service.getName(), sentinel(credentials), tls(credentials)));
		}
		return Optional.empty();
	}

	private RedisBinding fromVariables() {
		String host = this.fallback.host();
		String base = host.contains("://") ? host : "http://" + host;
		return new RedisBinding(URI.create(base + ":" + this.fallback.port()), this.fallback.dc(),
				this.redisService.service(), null, null, orNull(this.fallback.token()),
				"CONSUL_HOST/CONSUL_PORT/CONSUL_DC");
	}

	/**
	 * The binding's Redis ACL user: {@code username}, else the user in {@code uri}
	 * ({@code redis://user:password@host:port}). java-cfenv's Redis support reads only
	 * {@code uri}, {@code host}, {@code port} and {@code password}, so this reads it
	 * here. {@code null} when neither names one ({@code redis://:password@...}): the
	 * password alone then authenticates, as Redis's {@code default} user.
	 */
	private static String username(Map<String, Object> credentials) {
		String username = text(credentials, "username");
		if (StringUtils.hasText(username)) {
			return username;
		}
		String uri = text(credentials, "uri");
		if (!StringUtils.hasText(uri)) {
			return null;
		}
		try {
			String userInfo = new URI(uri).getRawUserInfo();
			if (userInfo == null) {
				return null;
			}
			int colon = userInfo.indexOf(':');
			String user = (colon >= 0) ? userInfo.substring(0, colon) : userInfo;
			return StringUtils.hasText(user) ? URLDecoder.decode(user, StandardCharsets.UTF_8) : null;
		}
		catch (URISyntaxException ex) {
			// the message would quote the URI, password included
			throw new IllegalStateException("The credentials' uri of the bound Redis service is not a valid URI "
					+ "(redis://<username>:<password>@<host>:<port> expected); check the binding");
		}
	}

	/**
	 * TLS as the binding asks: with a {@code ca_certificate}, always (trusting that CA
	 * only); on the port discovery lists when {@code uri} is {@code rediss://}
	 * ({@code tls: required}, the only port is the TLS one), else on {@code tls_port}
	 * beside the plain port ({@code tls: optional}). {@code null} without a CA; a
	 * {@code rediss://} uri without one is refused, as trusting any public CA instead of
	 * the operator's would be a silent downgrade.
	 */
	private static RedisTls tls(Map<String, Object> credentials) {
		String ca = text(credentials, "ca_certificate");
		String uri = text(credentials, "uri");
		boolean rediss = uri != null && uri.regionMatches(true, 0, "rediss://", 0, "rediss://".length());
		if (!StringUtils.hasText(ca)) {
			if (rediss) {
				throw new IllegalStateException("The credentials' uri of the bound Redis service is rediss:// but "
						+ "they carry no ca_certificate to verify it with; check the binding");
			}
			return null;
		}
		if (!ca.contains("-----BEGIN CERTIFICATE-----")) {
			throw new IllegalStateException("The credentials' ca_certificate of the bound Redis service is not a PEM "
					+ "certificate (-----BEGIN CERTIFICATE----- expected); check the binding");
		}
		int port = 0;
		if (!rediss) {
			String tlsPort = text(credentials, "tls_port");
			try {
				port = Integer.parseInt(String.valueOf(tlsPort));
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("The credentials of the bound Redis service carry a ca_certificate "
						+ "but neither a rediss:// uri nor a numeric tls_port ('" + tlsPort + "'); check the binding");
			}
		}
		String host = text(credentials, "host");
		return new RedisTls(ca, port, RedisTls.isName(host) ? host : null);
	}

	/**
	 * The Sentinels of an {@code ha} binding: {@code master_name} and {@code sentinels}
	 * both present; {@code null} otherwise (a single Redis, as before).
	 */
	private static SentinelBinding sentinel(Map<String, Object> credentials) {
		String masterName = text(credentials, "master_name");
		Object listed = credentials.get("sentinels");
		if (!StringUtils.hasText(masterName) || !(listed instanceof List<?> sentinels)) {
			return null;
		}
		List<SentinelBinding.Address> addresses = new ArrayList<>();
		for (Object sentinel : sentinels) {
			if (!(sentinel instanceof Map<?, ?> entry) || entry.get("host") == null || entry.get("port") == null) {
				throw new IllegalStateException("The credentials' sentinels of the bound Redis service must be a list "
						+ "of {\"host\", \"port\"}; check the binding");
			}
			try {
				addresses.add(new SentinelBinding.Address(entry.get("host").toString(),
						Integer.parseInt(entry.get("port").toString())));
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("The credentials' sentinels of the bound Redis service name a port "
						+ "that is not a number ('" + entry.get("port") + "'); check the binding");
			}
		}
		return new SentinelBinding(masterName, List.copyOf(addresses), orNull(text(credentials, "sentinel_username")),
				orNull(text(credentials, "sentinel_password")), orNull(text(credentials, "consul_sentinel_service")));
	}

	private static boolean isRedis(CfService service) {
		return REDIS.equalsIgnoreCase(service.getLabel()) || service.existsByTagIgnoreCase(REDIS);
	}

	private static String text(Map<String, Object> credentials, String key) {
		Object value = credentials.get(key);
		return (value != null) ? value.toString() : null;
	}

	// an empty token (e.g. CONSUL_TOKEN= in a manifest) means none: Consul would take an
	// empty header as the anonymous token anyway, and "absent" reads plainer in the logs
	private static String orNull(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static String orElse(String value, String otherwise) {
		return StringUtils.hasText(value) ? value : otherwise;
	}

}
