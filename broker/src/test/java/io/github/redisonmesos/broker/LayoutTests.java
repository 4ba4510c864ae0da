package io.github.redisonmesos.broker;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The broker's layout as the README's layout table describes it, checked on the compiled
 * main classes: the core ({@code instance}, {@code binding}, whatever subpackages they
 * grow) and the ports it owns ({@code deployment}, {@code records}) import no adapter; an
 * adapter imports no other adapter; no two packages import each other, directly or round
 * a loop.
 */
class LayoutTests {

	private static final String BROKER = "io.github.redisonmesos.broker";

	/** The core: the OSB operations, driven from the records. */
	private static final String[] CORE = { BROKER + ".instance..", BROKER + ".binding.." };

	/** The ports the core owns, in its own terms. */
	private static final String[] PORTS = { BROKER + ".deployment..", BROKER + ".records.." };

	/**
	 * Each adapter reaches one outside system (or serves the HTTP edge) behind a port.
	 * {@code remote} is what the HTTP adapters share (a pooled client, encoded paths,
	 * error translation): the one adapter another adapter may import.
	 */
	private static final List<String> ADAPTERS = List.of("marathon", "consul", "redis", "libstorage", "remote", "web");

	/** The adapters that call an outside system over HTTP, through {@code remote}. */
	private static final List<String> HTTP_ADAPTERS = List.of("marathon", "consul", "libstorage");

	/** The client libraries of the outside systems: only adapters hold them. */
	private static final String[] OUTSIDE_CLIENTS = { "redis.clients..", "org.apache.hc..",
			"org.springframework.web.client..", "com.ecwid.consul.." };

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(BROKER);

	@Test
	void coreAndItsPortsImportNoAdapter() {
		noClasses().that()
			.resideInAnyPackage(concat(CORE, PORTS))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(packages(ADAPTERS))
			.because("the core owns its ports and the adapters implement them (broker/README.md, Layout)")
			.check(classes);
	}

	@Test
	void coreAndItsPortsHoldNoClientOfAnOutsideSystem() {
		noClasses().that()
			.resideInAnyPackage(concat(CORE, PORTS))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(OUTSIDE_CLIENTS)
			.because("Redis, Marathon, Consul and libStorage are reached through the ports alone")
			.check(classes);
	}

	@TestFactory
	Stream<DynamicTest> anAdapterImportsNoOtherAdapter() {
		return ADAPTERS.stream().map((adapter) -> DynamicTest.dynamicTest(adapter + " imports no other adapter", () -> {
			List<String> others = ADAPTERS.stream()
				.filter((other) -> !other.equals(adapter))
				.filter((other) -> !(other.equals("remote") && HTTP_ADAPTERS.contains(adapter)))
				.toList();
			noClasses().that()
				.resideInAPackage(BROKER + "." + adapter + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(packages(others))
				.because("adapters meet only through the core's ports")
				.check(classes);
		}));
	}

	@Test
	void onlyAdaptersReachAnOutsideSystemsAdapter() {
		List<String> systems = List.of("marathon", "consul", "redis", "libstorage");
		noClasses().that()
			.resideOutsideOfPackages(packages(systems))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(packages(systems))
			.because("everything else reaches Marathon, Consul, Redis and libStorage through a port; "
					+ "Spring wires the adapter in")
			.check(classes);
	}

	@Test
	void featuresAreFreeOfCycles() {
		slices().matching(BROKER + ".(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching(BROKER + ".(**)").should().beFreeOfCycles().check(classes);
	}

	private static String[] packages(List<String> names) {
		return names.stream().map((name) -> BROKER + "." + name + "..").toArray(String[]::new);
	}

	private static String[] concat(String[] first, String[] second) {
		return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(String[]::new);
	}

}
