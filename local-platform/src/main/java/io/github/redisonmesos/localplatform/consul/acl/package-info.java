/**
 * Consul's ACL system in small: tokens, policies in Consul's rule language, and the
 * decision whether a token may read or write a key, service, node or agent.
 */
package io.github.redisonmesos.localplatform.consul.acl;
