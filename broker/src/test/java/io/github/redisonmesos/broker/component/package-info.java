/**
 * The broker driven over HTTP with Marathon and Consul answered by WireMock in their real
 * shapes.
 */
package io.github.redisonmesos.broker.component;
