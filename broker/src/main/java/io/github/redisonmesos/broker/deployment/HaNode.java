package io.github.redisonmesos.broker.deployment;

/**
 * One node of an HA instance: its Redis and the Sentinel beside it, where they listen
 * now.
 *
 * @param index the node's index, 0 to the plan's node count less one
 * @param redis where its Redis listens
 * @param sentinel where its Sentinel listens
 */
public record HaNode(int index, RedisEndpoint redis, RedisEndpoint sentinel) {

}
