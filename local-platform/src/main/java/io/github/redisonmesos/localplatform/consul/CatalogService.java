package io.github.redisonmesos.localplatform.consul;

/**
 * A service instance registered on a node.
 */
record CatalogService(String node, ServiceRegistration service, long createIndex, long modifyIndex) {

}
