/**
 * What the record ports share: a record read with the version its next write names.
 */
package io.github.redisonmesos.broker.records;
