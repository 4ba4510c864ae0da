package io.github.redisonmesos.localplatform.consul;

import java.util.Map;

/**
 * A node of the catalog.
 */
record CatalogNode(String id, String name, String address, Map<String, String> taggedAddresses,
		Map<String, String> meta, long createIndex, long modifyIndex) {

	CatalogNode withIndexes(long create, long modify) {
		return new CatalogNode(this.id, this.name, this.address, this.taggedAddresses, this.meta, create, modify);
	}

}
