/**
 * A plain Spring Boot app bound to the broker's Redis through VCAP_SERVICES, as any CF
 * app is.
 */
package io.github.redisonmesos.proof;
