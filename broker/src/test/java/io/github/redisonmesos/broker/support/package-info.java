/**
 * In-process fakes of the broker's Marathon and Consul interfaces.
 */
package io.github.redisonmesos.broker.support;
