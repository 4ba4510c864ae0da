/**
 * Web-facing details shared by the OSB services: request identity in logs and status
 * codes the framework does not choose.
 */
package io.github.redisonmesos.broker.web;
