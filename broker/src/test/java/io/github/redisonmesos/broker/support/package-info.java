/**
 * In-process fakes of the broker's Marathon and Consul interfaces, and real Redis started
 * from the templates.
 */
package io.github.redisonmesos.broker.support;
