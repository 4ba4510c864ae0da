/**
 * Application entry point of the local-platform module.
 */
package io.github.redisonmesos.localplatform;
