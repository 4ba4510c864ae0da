package io.github.redisonmesos.broker.libstorage;

import java.time.Duration;

import io.github.redisonmesos.broker.instance.volumes.VolumeStore;
import io.github.redisonmesos.broker.instance.volumes.VolumesProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.web.client.RestClient;

/**
 * The libStorage adapter for tests of other packages, pointed at a stub.
 */
public final class TestVolumeStores {

	private TestVolumeStores() {
	}

	public static VolumeStore at(String url, String service) {
		return new LibStorageVolumeStore(
				new VolumesProperties(url, service, "", Duration.ofDays(7), Duration.ofSeconds(2)),
				RestClient.builder(), new SimpleMeterRegistry());
	}

}
