package io.github.redisonmesos.broker.tls;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the Mesos agents reach the broker to fetch an instance's key and certificate.
 *
 * @param url the broker's base URL as the agents reach it, HTTPS in production
 * ({@code BROKER_TLS_DELIVERY_URL}); required with a CA
 */
@ConfigurationProperties("broker.tls.delivery")
public record TlsDeliveryProperties(@DefaultValue("") String url) {

}
