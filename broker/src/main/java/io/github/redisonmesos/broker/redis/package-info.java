/**
 * Redis users: the broker administers each instance's Redis ACL users as its admin user.
 */
package io.github.redisonmesos.broker.redis;
