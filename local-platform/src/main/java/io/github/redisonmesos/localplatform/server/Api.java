package io.github.redisonmesos.localplatform.server;

/**
 * The emulated APIs, each on its own port and path space.
 */
enum Api {

	MARATHON("Marathon"), CONSUL("Consul"), LIBSTORAGE("libStorage");

	private final String title;

	Api(String title) {
		this.title = title;
	}

	String title() {
		return this.title;
	}

	/**
	 * The API a path belongs to: Consul's start with {@code /v1/}, libStorage's with
	 * {@code /volumes}, every other one is Marathon's.
	 */
	static Api ofPath(String path) {
		if (path.startsWith("/v1/")) {
			return CONSUL;
		}
		if (path.equals("/volumes") || path.startsWith("/volumes/")) {
			return LIBSTORAGE;
		}
		return MARATHON;
	}

	static Api ofPort(int port, ConsulConnector consul, LibStorageConnector libStorage) {
		if (port == consul.port()) {
			return CONSUL;
		}
		return (port == libStorage.port()) ? LIBSTORAGE : MARATHON;
	}

}
