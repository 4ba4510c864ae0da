package io.github.redisonmesos.broker.component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.redisonmesos.broker.BrokerApplication;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.InProcessStarts;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The broker as an application in the test's JVM, on a free loopback port, with the
 * platform's credentials and a secrets key, against a local platform's Marathon and
 * Consul. Settings are arguments of this JVM's application, never of a process: no token
 * or password reaches a command line.
 */
final class InProcessBroker {

	private InProcessBroker() {
	}

	/**
	 * Start a broker.
	 * @param platform the Marathon and Consul it uses
	 * @param testClass the test class it serves: its part of the platform
	 * ({@link LocalPlatform#brokerSettings(Class)})
	 * @param settings more {@code --NAME=value} settings
	 * @return the running broker
	 */
	static ConfigurableApplicationContext start(LocalPlatform platform, Class<?> testClass, String... settings) {
		return start(platform, testClass, 0, settings);
	}

	/**
	 * Start a broker on a port chosen before, for settings that name its own URL.
	 * @param platform the Marathon and Consul it uses
	 * @param testClass the test class it serves
	 * @param port its HTTP port, 0 for any free one
	 * @param settings more {@code --NAME=value} settings
	 * @return the running broker
	 */
	static ConfigurableApplicationContext start(LocalPlatform platform, Class<?> testClass, int port,
			String... settings) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off", "--BROKER_USERNAME=" + BrokerApi.USERNAME,
				"--BROKER_PASSWORD=" + BrokerApi.PASSWORD, "--BROKER_SECRETS_KEY=" + TestSecrets.KEY,
				"--MARATHON_URL=" + platform.marathon(""), "--CONSUL_URL=" + platform.consul("")));
		arguments.addAll(withClassSettings(platform, testClass, settings));
		return InProcessStarts
			.alone(() -> new SpringApplicationBuilder(BrokerApplication.class).run(arguments.toArray(String[]::new)));
	}

	/**
	 * The settings and, for each of the class's part of the platform
	 * ({@link LocalPlatform#brokerSettings(Class)}) they do not set themselves (a class
	 * that splits its slice of ports between its brokers), that one: a setting given
	 * twice would be both values joined by a comma.
	 * @param platform the platform
	 * @param testClass the test class
	 * @param settings {@code --NAME=value} settings
	 * @return every setting, once
	 */
	static List<String> withClassSettings(LocalPlatform platform, Class<?> testClass, String... settings) {
		List<String> arguments = new ArrayList<>();
		for (String setting : platform.brokerSettings(testClass)) {
			String name = setting.substring(0, setting.indexOf('=') + 1);
			if (Arrays.stream(settings).noneMatch((given) -> given.startsWith(name))) {
				arguments.add(setting);
			}
		}
		arguments.addAll(List.of(settings));
		return arguments;
	}

	/**
	 * Start a broker that signs TLS certificates with the operator's CA: its key delivery
	 * URL names the broker's own port, chosen before the start.
	 * @param platform the Marathon and Consul it uses
	 * @param testClass the test class it serves
	 * @param ca the operator's CA
	 * @param settings more {@code --NAME=value} settings
	 * @return the running broker
	 */
	static ConfigurableApplicationContext startWithCa(LocalPlatform platform, Class<?> testClass, TestCa ca,
			String... settings) {
		int port = FreePorts.next();
		List<String> arguments = new ArrayList<>(List.of("--BROKER_TLS_CA_CERTIFICATE=" + ca.certificatePem(),
				"--BROKER_TLS_CA_PRIVATE_KEY=" + ca.privateKeyPem(), "--BROKER_TLS_DELIVERY_URL=" + deliveryUrl(port)));
		arguments.addAll(List.of(settings));
		return start(platform, testClass, port, arguments.toArray(String[]::new));
	}

	/**
	 * Settings for a catalog of one plan, {@code ha}, as the catalog ships it but for the
	 * Sentinel settings scripts/test runs the demos with (scripts/lib.sh
	 * {@code ha_broker_options}, {@code DOWN_AFTER=3s}): down-after 3 s and
	 * failover-timeout 3 s instead of 5 s and 10 s, so that a failover takes a few
	 * seconds and the last primary's own wait when every node restarts at once
	 * ({@code down-after + 3 x failover-timeout}) is 12 s instead of 35 s. Not the demo's
	 * 1 s: at this build's load a Sentinel stalled past 1 s right after a failover and
	 * started a second, false one, and a replica that joined the first promoted node
	 * acknowledged writes that were lost (HaAgentLossBusiestAgentLocalPlatformTests,
	 * once; docs/HA-NODE.md, "Split brain under load").
	 * @param settings the other {@code --NAME=value} settings
	 * @return those settings and the plan's
	 */
	static String[] withHaPlanAtDemoTimings(String... settings) {
		List<String> arguments = new ArrayList<>(List.of(settings));
		arguments.addAll(List.of("--broker.catalog.plans[0].id=" + HaBindings.HA, "--broker.catalog.plans[0].name=ha",
				"--broker.catalog.plans[0].mem-mb=256", "--broker.catalog.plans[0].cpus=0.2",
				"--broker.catalog.plans[0].maxmemory=128mb", "--broker.catalog.plans[0].volume-gb=1",
				"--broker.catalog.plans[0].ha.down-after=3s", "--broker.catalog.plans[0].ha.failover-timeout=3s"));
		return arguments.toArray(String[]::new);
	}

	/**
	 * The key delivery URL of a broker on this port.
	 * @param port the broker's HTTP port
	 * @return the URL its TLS apps fetch from
	 */
	static String deliveryUrl(int port) {
		return "http://127.0.0.1:" + port;
	}

	/**
	 * The platform's side of the OSB API of a broker started here.
	 * @param broker the running broker
	 * @return its API, with the platform's credentials
	 */
	static BrokerApi api(ConfigurableApplicationContext broker) {
		return new BrokerApi(((ServletWebServerApplicationContext) broker).getWebServer().getPort());
	}

}
