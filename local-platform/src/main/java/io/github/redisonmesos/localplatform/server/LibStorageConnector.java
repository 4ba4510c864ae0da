package io.github.redisonmesos.localplatform.server;

/**
 * The extra Tomcat connector that serves the libStorage API (REX-Ray's volume routes) on
 * loopback only.
 */
public final class LibStorageConnector extends LoopbackConnector {

	LibStorageConnector(int port) {
		super(port);
	}

}
