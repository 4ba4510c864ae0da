/**
 * The state directory: files written atomically and durably, owner-only where they can
 * hold secrets.
 */
package io.github.redisonmesos.localplatform.state;
