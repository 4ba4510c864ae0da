package io.github.redisonmesos.broker.catalog;

/**
 * Builds the catalog outside a Spring context.
 */
public final class TestCatalog {

	private TestCatalog() {
	}

	public static RedisCatalog redisCatalog(CatalogProperties properties) {
		return new RedisCatalog(properties);
	}

}
