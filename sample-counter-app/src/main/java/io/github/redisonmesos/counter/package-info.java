/**
 * Application entry point of the sample-counter-app module.
 */
package io.github.redisonmesos.counter;
