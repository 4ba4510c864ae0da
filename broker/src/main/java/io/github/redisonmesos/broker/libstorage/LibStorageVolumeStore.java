package io.github.redisonmesos.broker.libstorage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.instance.volumes.VolumeStore;
import io.github.redisonmesos.broker.instance.volumes.VolumesProperties;
import io.github.redisonmesos.broker.remote.RemoteClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * {@link VolumeStore} on libStorage's REST API (shapes in {@code contract/libstorage}):
 * {@code GET /volumes/{service}} answers a map of volumes keyed by the provider's id,
 * {@code DELETE /volumes/{service}/{volumeID}} answers 205. Only when
 * {@code broker.volumes.url} is set.
 */
@Component
@ConditionalOnExpression("!'${broker.volumes.url:}'.isBlank()")
class LibStorageVolumeStore implements VolumeStore {

	private final RemoteClient libStorage;

	private final String service;

	LibStorageVolumeStore(VolumesProperties properties, RestClient.Builder builder, MeterRegistry meters) {
		// the builder is a prototype bean: the header stays on this client
		if (StringUtils.hasText(properties.token())) {
			builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.token());
		}
		this.libStorage = new RemoteClient("libStorage", properties.libStorageUrl().orElseThrow(), "BROKER_VOLUMES_URL",
				"BROKER_VOLUMES_TOKEN", properties.timeout(),
				null /* the JVM's trust store */, builder, meters);
		this.service = properties.service();
	}

	@Override
	public Map<String, String> idsByName() {
		return this.libStorage.call("volumes_list", () -> {
			JsonNode volumes = this.libStorage.restClient()
				.get()
				.uri(this.libStorage.uri(List.of("volumes", this.service), false, ""))
				.retrieve()
				.body(JsonNode.class);
			Map<String, String> ids = new LinkedHashMap<>();
			if (volumes != null) {
				volumes.properties()
					.forEach((entry) -> ids.put(entry.getValue().path("name").asText(),
							entry.getValue().path("id").asText(entry.getKey())));
			}
			return ids;
		});
	}

	@Override
	public void delete(String volumeId) {
		this.libStorage.call("volume_delete", () -> {
			try {
				this.libStorage.restClient()
					.delete()
					.uri(this.libStorage.uri(List.of("volumes", this.service, volumeId), false, ""))
					.retrieve()
					.toBodilessEntity();
			}
			catch (HttpClientErrorException.NotFound ex) {
				// gone already: what was wanted
			}
			return null;
		});
	}

}
