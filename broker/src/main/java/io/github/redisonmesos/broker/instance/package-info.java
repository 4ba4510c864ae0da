/**
 * Service instances: provision, poll, update and deprovision a Redis app, with the
 * instance record in Consul KV.
 */
package io.github.redisonmesos.broker.instance;
