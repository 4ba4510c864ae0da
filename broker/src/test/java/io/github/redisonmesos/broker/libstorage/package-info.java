/**
 * Tests of the libStorage volume store against recorded libStorage answers.
 */
package io.github.redisonmesos.broker.libstorage;
