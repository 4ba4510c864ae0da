package io.github.redisonmesos.broker.component;

import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Marathon as the broker sees it, one intention per method; bodies from contract-fixtures
 * (contract/marathon).
 */
class MarathonStubs {

	private final StubRegistry stubs;

	MarathonStubs(StubRegistry stubs) {
		this.stubs = stubs;
	}

	void acceptsNewApp() {
		this.stubs.require(post(urlPathEqualTo("/v2/apps"))
			.willReturn(json(201, "marathon/v0.10.1.post_v2_apps.response-201.json")));
	}

	/**
	 * Marathon still runs a deployment for the app id (e.g. the removal of the previous
	 * app of a re-provisioned instance) on the first POST, and accepts the next one.
	 */
	void newAppIsLockedOnceThenAccepted() {
		this.stubs.require(post(urlPathEqualTo("/v2/apps")).inScenario("new app locked once")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(409, "marathon/error.409.app-locked-by-deployment.json"))
			.willSetStateTo("deployment finished"));
		this.stubs.require(post(urlPathEqualTo("/v2/apps")).inScenario("new app locked once")
			.whenScenarioStateIs("deployment finished")
			.willReturn(json(201, "marathon/v0.10.1.post_v2_apps.response-201.json")));
	}

	void newAppStaysLockedByDeployment() {
		this.stubs.require(post(urlPathEqualTo("/v2/apps"))
			.willReturn(json(409, "marathon/error.409.app-locked-by-deployment.json")));
	}

	void newAppAlreadyExists() {
		this.stubs.require(
				post(urlPathEqualTo("/v2/apps")).willReturn(json(409, "marathon/error.409.app-already-exists.json")));
	}

	/** Marathon rejects the app definition, as for an operator's broken template. */
	void rejectsNewAppAsInvalid() {
		this.stubs.require(
				post(urlPathEqualTo("/v2/apps")).willReturn(json(422, "marathon/error.422.object-not-valid.json")));
	}

	void failsWith503OnNewApp() {
		this.stubs.require(post(urlPathEqualTo("/v2/apps")).willReturn(aResponse().withStatus(503)));
	}

	void appIsDeploying(String appId) {
		this.stubs.require(get(urlPathEqualTo("/v2/apps" + appId))
			.willReturn(json(200, "marathon/derived/get_v2_apps_id.response-200.deploying.json")));
	}

	void appIsHealthy(String appId) {
		this.stubs.require(get(urlPathEqualTo("/v2/apps" + appId))
			.willReturn(json(200, "marathon/v0.10.1.get_v2_apps_id.response-200.embed-tasks.json")));
	}

	void appTaskFailed(String appId) {
		this.stubs.require(get(urlPathEqualTo("/v2/apps" + appId))
			.willReturn(json(200, "marathon/derived/get_v2_apps_id.response-200.task-failed.json")));
	}

	void appDoesNotExist(String appId) {
		this.stubs.require(
				get(urlPathEqualTo("/v2/apps" + appId)).willReturn(json(404, "marathon/error.404.app-not-found.json")));
	}

	void acceptsAppUpdate(String appId) {
		this.stubs
			.require(put(urlPathEqualTo("/v2/apps" + appId)).willReturn(json(200, "marathon/deployments_result.json")));
	}

	void appIsLockedByDeployment(String appId) {
		this.stubs.require(put(urlPathEqualTo("/v2/apps" + appId))
			.willReturn(json(409, "marathon/error.409.app-locked-by-deployment.json")));
	}

	void appIsLockedOnceThenAcceptsUpdate(String appId) {
		this.stubs.require(put(urlPathEqualTo("/v2/apps" + appId)).inScenario("update locked once")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(409, "marathon/error.409.app-locked-by-deployment.json"))
			.willSetStateTo("deployment finished"));
		this.stubs.require(put(urlPathEqualTo("/v2/apps" + appId)).inScenario("update locked once")
			.whenScenarioStateIs("deployment finished")
			.willReturn(json(200, "marathon/deployments_result.json")));
	}

	void acceptsAppDeletion(String appId) {
		this.stubs.require(
				delete(urlPathEqualTo("/v2/apps" + appId)).willReturn(json(200, "marathon/deployments_result.json")));
	}

	void appIsAlreadyGoneOnDelete(String appId) {
		this.stubs.require(delete(urlPathEqualTo("/v2/apps" + appId))
			.willReturn(json(404, "marathon/error.404.app-not-found.json")));
	}

	void listsApps() {
		this.stubs.require(get(urlPathEqualTo("/v2/apps")).willReturn(json(200, "marathon/app_list.json")));
	}

	List<LoggedRequest> createdApps() {
		return this.stubs.server().findAll(postRequestedFor(urlPathEqualTo("/v2/apps")));
	}

	List<LoggedRequest> updatedApps(String appId) {
		return this.stubs.server().findAll(putRequestedFor(urlPathEqualTo("/v2/apps" + appId)));
	}

	void answersPing() {
		this.stubs.require(get(urlPathEqualTo("/ping")).willReturn(aResponse().withStatus(200).withBody("pong")));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
		return Responses.json(status, body);
	}

}
