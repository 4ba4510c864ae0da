package io.github.redisonmesos.broker.catalog;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.maintenance.MaintenanceProperties;
import io.github.redisonmesos.broker.maintenance.NodeTemplates;
import io.github.redisonmesos.broker.maintenance.PlanVersions;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;

/**
 * Builds the catalog outside a Spring context.
 */
public final class TestCatalog {

	private static final InstanceParameters PARAMETERS = new InstanceParameters(new ObjectMapper());

	/** The maintenance version of {@link #redisCatalog(CatalogProperties)}. */
	public static final String VERSION = "1.0.0";

	private TestCatalog() {
	}

	public static RedisCatalog redisCatalog(CatalogProperties properties) {
		return redisCatalog(properties, versions(VERSION));
	}

	public static RedisCatalog redisCatalog(CatalogProperties properties, PlanVersions versions) {
		return new RedisCatalog(properties, PARAMETERS, versions);
	}

	/**
	 * The versions of templates that run the shipped image.
	 * @param version the maintenance version
	 * @return the versions
	 */
	public static PlanVersions versions(String version) {
		return new PlanVersions(new MaintenanceProperties(version, ""), new NodeTemplates() {

			@Override
			public String digest() {
				return "sha256:" + "0".repeat(64);
			}

			@Override
			public List<String> images() {
				return List.of("redis@sha256:" + "1".repeat(64));
			}

		});
	}

	public static InstanceParameters parameters() {
		return PARAMETERS;
	}

	/**
	 * The parameters of a broker whose operator set a CA: only whether one is set matters
	 * to them.
	 * @return the parameters
	 */
	public static InstanceParameters parametersWithCa() {
		return new InstanceParameters(new ObjectMapper(),
				new InstanceTlsProperties("ca", "key", TlsMode.DISABLED, Duration.ofDays(365), Duration.ofDays(30)));
	}

}
