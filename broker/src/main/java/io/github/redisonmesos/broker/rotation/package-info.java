/**
 * Key rotation: secrets sealed with the previous key are sealed again with the current
 * one, record by record.
 */
package io.github.redisonmesos.broker.rotation;
