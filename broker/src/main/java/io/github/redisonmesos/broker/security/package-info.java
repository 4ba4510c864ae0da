/**
 * Who may call the broker and how its secrets are kept: HTTP basic authentication on the
 * OSB API, secrets sealed in records ({@code SecretBox}), passwords, required settings,
 * and the guard that keeps credentials out of the framework's logs.
 */
package io.github.redisonmesos.broker.security;
