/**
 * What the OSB services share: the 400 and 404 answers the framework has no type for, and
 * who asked for an operation, for the log.
 */
package io.github.redisonmesos.broker.osb;
