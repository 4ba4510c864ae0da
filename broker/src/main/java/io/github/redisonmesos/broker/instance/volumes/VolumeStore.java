package io.github.redisonmesos.broker.instance.volumes;

import java.util.Map;

/**
 * Where the external volumes live (a libStorage API, as REX-Ray serves, behind it). The
 * provider names a volume by an id of its own, not by the name apps mount it with.
 */
public interface VolumeStore {

	/**
	 * Every volume of the configured service.
	 * @return the provider's volume ids by volume name
	 */
	Map<String, String> idsByName();

	/**
	 * Ask the provider to delete a volume; one that is already gone counts as deleted.
	 * The provider may answer success and keep the volume: list again to know.
	 * @param volumeId the provider's id
	 */
	void delete(String volumeId);

}
