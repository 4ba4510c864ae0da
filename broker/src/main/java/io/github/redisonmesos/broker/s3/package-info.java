/**
 * The backup store on any S3-compatible object store, through the AWS SDK for Java v2.
 */
package io.github.redisonmesos.broker.s3;
