/**
 * Application entry point of the broker module.
 */
package io.github.redisonmesos.broker;
