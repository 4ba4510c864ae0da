/**
 * What Marathon and Consul clients share: building a RestClient and turning an
 * unreachable or failing dependency into an OSB error.
 */
package io.github.redisonmesos.broker.remote;
