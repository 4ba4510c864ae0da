/**
 * Checks of the operator's artefacts (manifests, Marathon definitions, security groups).
 */
package io.github.redisonmesos.broker.artefacts;
