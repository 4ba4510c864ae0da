/**
 * TLS to the instances: each instance's certificate signed with the operator's CA
 * ({@code BROKER_TLS_CA_CERTIFICATE}, {@code BROKER_TLS_CA_PRIVATE_KEY}); docs/TLS.md.
 */
package io.github.redisonmesos.broker.tls;
