/**
 * Service instances: the instance record in Consul KV and what the features below share
 * (its secrets, its deployment, an operation's progress); {@code operations} provisions,
 * polls, updates and deprovisions, {@code ha} runs the {@code ha} plan's nodes,
 * {@code ports} and {@code volumes} keep each instance's host ports and volumes.
 */
package io.github.redisonmesos.broker.instance;
