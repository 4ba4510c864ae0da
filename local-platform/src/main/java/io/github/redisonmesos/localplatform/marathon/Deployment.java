package io.github.redisonmesos.localplatform.marathon;

import java.util.UUID;

/**
 * A change to an app in flight; it ends when the app's tasks match its definition.
 *
 * @param id the deployment id (one deployment may affect several apps)
 * @param version the app version it deploys
 * @param appId the affected app
 * @param action Marathon's name of the step ({@code StartApplication},
 * {@code ScaleApplication}, {@code RestartApplication}, {@code StopApplication})
 */
record Deployment(String id, String version, String appId, String action) {

	static Deployment of(String version, String appId, String action) {
		return new Deployment(UUID.randomUUID().toString(), version, appId, action);
	}

	/**
	 * The same deployment as one affected app carries it.
	 */
	Deployment forApp(String affectedAppId) {
		return new Deployment(this.id, this.version, affectedAppId, this.action);
	}

}
