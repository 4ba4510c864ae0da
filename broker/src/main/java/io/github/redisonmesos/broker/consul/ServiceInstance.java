package io.github.redisonmesos.broker.consul;

/**
 * Where one instance of a Consul service listens.
 *
 * @param address host or IP address
 * @param port port
 */
public record ServiceInstance(String address, int port) {

}
