/**
 * The OSB API's HTTP edge: the id rule and API version checks, error bodies, request
 * metrics, and synchronous answers of the framework's Monos.
 */
package io.github.redisonmesos.broker.web;
