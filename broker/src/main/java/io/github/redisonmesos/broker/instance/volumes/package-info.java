/**
 * A removed instance's volumes: kept for the retention, then deleted through the
 * {@code VolumeStore} port (libStorage), or left to the operator.
 */
package io.github.redisonmesos.broker.instance.volumes;
