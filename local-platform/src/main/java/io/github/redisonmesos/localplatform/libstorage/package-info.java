/**
 * The libStorage API subset (REX-Ray's volume routes) over the external volumes the
 * emulated Marathon keeps as directories.
 */
package io.github.redisonmesos.localplatform.libstorage;
