package io.github.redisonmesos.broker.binding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.catalog.InstanceParameters;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.deployment.RegistryAccess;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Sealed;
import io.github.redisonmesos.broker.security.SecretBox;
import io.github.redisonmesos.broker.tls.InstanceCertificates;

import org.springframework.stereotype.Component;

/**
 * The credentials a binding hands out, and their sealed form in the binding record: the
 * Redis address ({@code broker.credentials.host-style}) on the instance's own port, the
 * binding's own user and password, and where the app can ask Consul again after Redis
 * moves; with TLS on, the TLS port and the operator's CA certificate ({@code tls_port},
 * {@code ca_certificate}), and a {@code rediss://} uri when TLS is required. Never the
 * instance's admin password.
 */
@Component
public class BindingCredentials {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final SecretBox secrets;

	private final ObjectMapper objectMapper;

	private final RedisDiscovery discovery;

	private final CredentialsProperties properties;

	private final InstanceParameters parameters;

	private final InstanceCertificates certificates;

	BindingCredentials(SecretBox secrets, ObjectMapper objectMapper, RedisDiscovery discovery,
			CredentialsProperties properties, InstanceParameters parameters, InstanceCertificates certificates) {
		this.parameters = parameters;
		this.certificates = certificates;
		this.secrets = secrets;
		this.objectMapper = objectMapper;
		this.discovery = discovery;
		this.properties = properties;
	}

	/**
	 * The credentials of a new binding.
	 * @param instance the instance record
	 * @param location the instance's service in Consul
	 * @param redis the Redis Consul lists (an HA instance's primary)
	 * @param nodes an HA instance's nodes as Consul lists them, none for a single Redis
	 * @param username the binding's user
	 * @param password its password
	 * @return the credentials, with the Sentinel keys for an HA instance
	 */
	Map<String, Object> create(InstanceRecord instance, RedisLocation location, RedisEndpoint redis, List<HaNode> nodes,
			String username, String password) {
		RedisEndpoint address = (instance.topology() instanceof InstanceRecord.Ha) ? haAddress(instance, redis, nodes)
				: address(instance, location, redis);
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("host", address.host());
		credentials.put("port", address.port());
		credentials.put("username", username);
		credentials.put("password", password);
		TlsMode tls = this.parameters.tls(instance.parameters());
		// required: one port, TLS only, and a uri that makes java-cfenv use TLS
		credentials.put("uri",
				((tls == TlsMode.REQUIRED) ? "rediss://" : "redis://") + username + ":" + password + "@" + address);
		if (tls.on()) {
			// optional: the plain port above, the TLS listener's own port beside it
			credentials.put("tls_port", (tls == TlsMode.OPTIONAL) ? instance.tlsPort() : address.port());
			credentials.put("ca_certificate", this.certificates.caCertificate());
		}
		RegistryAccess consul = this.discovery.forApps();
		credentials.put("consul_url", consul.url());
		credentials.put("consul_datacenter", consul.datacenter());
		credentials.put("consul_service", location.service());
		if (consul.hasToken()) {
			credentials.put("consul_token", consul.token());
		}
		if (instance.topology() instanceof InstanceRecord.Ha) {
			addHa(credentials, instance, nodes, username, password, tls);
		}
		return credentials;
	}

	// the address apps are handed: Consul's DNS name or the address listed now, on the
	// instance's own port, which survives moves (or the port listed now, for an instance
	// without one)
	private RedisEndpoint address(InstanceRecord instance, RedisLocation location, RedisEndpoint redis) {
		int port = (instance.port() != 0) ? instance.port() : redis.port();
		if (consulDns()) {
			return new RedisEndpoint(ServiceNames.dnsName(instance.instanceId(), this.properties.consulDomain()), port);
		}
		return new RedisEndpoint(redis.host(), port);
	}

	// an HA instance's primary at bind time, which no name follows (Consul lists every
	// node alike; Sentinel clients use master_name and sentinels): with consul-dns the
	// name of that node (its tag on the instance's Redis service), which follows the
	// node, not the role
	private RedisEndpoint haAddress(InstanceRecord instance, RedisEndpoint primary, List<HaNode> nodes) {
		return nodes.stream()
			.filter((node) -> node.redis().equals(primary))
			.findFirst()
			.map((node) -> nodeAddress(instance, node, ServiceNames.of(instance.instanceId()), 0, node.redis()))
			.orElse(primary);
	}

	// what Sentinel clients need beside (the keys of Tanzu's HA Redis binding): where the
	// Sentinels are, under which name they monitor the primary, and the same user and
	// password on the Sentinels; and the Sentinels once more as Spring Boot's
	// spring.data.redis.sentinel.nodes takes them (host:port,..., the same addresses in
	// the same order), so that one placeholder maps them
	// with TLS each Sentinel also has its tls_port (the same port: a Sentinel of an
	// instance with TLS required listens with TLS only)
	private void addHa(Map<String, Object> credentials, InstanceRecord instance, List<HaNode> nodes, String username,
			String password, TlsMode tls) {
		credentials.put("master_name", HaSecrets.masterName(instance.instanceId()));
		List<Map<String, Object>> sentinels = new ArrayList<>();
		List<String> sentinelNodes = new ArrayList<>();
		for (HaNode node : nodes) {
			RedisEndpoint address = nodeAddress(instance, node, ServiceNames.sentinelOf(instance.instanceId()), 1,
					node.sentinel());
			Map<String, Object> sentinel = new LinkedHashMap<>();
			sentinel.put("host", address.host());
			sentinel.put("port", address.port());
			if (tls.on()) {
				sentinel.put("tls_port", address.port());
			}
			sentinels.add(sentinel);
			sentinelNodes.add(address.host() + ":" + address.port());
		}
		credentials.put("sentinels", sentinels);
		credentials.put("sentinel_nodes", String.join(",", sentinelNodes));
		credentials.put("sentinel_username", username);
		credentials.put("sentinel_password", password);
		credentials.put("consul_sentinel_service", ServiceNames.sentinelOf(instance.instanceId()));
	}

	// one process of an HA node: with consul-dns its Consul DNS name by the node's tag
	// (node-<n>.<service>.service.<domain>, one A record: a service's own name resolves
	// to every node, whose ports differ) on the node's own port (the port listed now
	// without one); else the address listed now
	private RedisEndpoint nodeAddress(InstanceRecord instance, HaNode node, String service, int portIndex,
			RedisEndpoint listed) {
		if (!consulDns()) {
			return listed;
		}
		List<Integer> ports = instance.ports();
		int own = 2 * node.index() + portIndex;
		int port = (own < ports.size()) ? ports.get(own) : listed.port();
		return new RedisEndpoint(ServiceNames.nodeDnsName(service, node.index(), this.properties.consulDomain()), port);
	}

	private boolean consulDns() {
		return this.properties.hostStyle() == CredentialsProperties.HostStyle.CONSUL_DNS;
	}

	Sealed seal(Map<String, Object> credentials, String instanceId, String bindingId) {
		try {
			return this.secrets.seal(this.objectMapper.writeValueAsString(credentials),
					BindingRecord.credentialsContext(instanceId, bindingId));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Credentials are plain strings and numbers", ex);
		}
	}

	Map<String, Object> open(BindingRecord record) {
		String json = this.secrets.open(record.credentials(), record.credentialsContext());
		try {
			return this.objectMapper.readValue(json, JSON_OBJECT);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(
					"The sealed credentials of binding " + record.bindingId() + " are not a JSON object once opened",
					ex);
		}
	}

	/**
	 * Whether a binding's credentials were sealed with
	 * {@code BROKER_SECRETS_KEY_PREVIOUS}.
	 * @param record the binding record
	 * @return true when they should be sealed again
	 */
	public boolean sealedWithOlderKey(BindingRecord record) {
		return this.secrets.sealedWithOlderKey(record.credentials());
	}

	/**
	 * The record with its credentials sealed again with the current key.
	 * @param record the binding record
	 * @return the record to write
	 */
	public BindingRecord resealed(BindingRecord record) {
		String credentials = this.secrets.open(record.credentials(), record.credentialsContext());
		return record.withCredentials(this.secrets.seal(credentials, record.credentialsContext()));
	}

	static String password(Map<String, Object> credentials) {
		return String.valueOf(credentials.get("password"));
	}

}
