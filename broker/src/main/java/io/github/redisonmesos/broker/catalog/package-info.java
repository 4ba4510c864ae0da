/**
 * The service catalog: one Redis service whose plans come from configuration.
 */
package io.github.redisonmesos.broker.catalog;
