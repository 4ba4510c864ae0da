/**
 * HTTP basic authentication on the OSB API, with credentials that must be configured.
 */
package io.github.redisonmesos.broker.security;
