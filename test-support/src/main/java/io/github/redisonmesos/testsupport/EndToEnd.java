package io.github.redisonmesos.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * An end-to-end test class: it runs the local platform's jar or a browser, so it needs
 * the packaged jars and takes seconds to minutes. Failsafe runs these in {@code verify}
 * (CI, {@code scripts/test}); surefire leaves them out, so that
 * {@code ./mvnw -pl <module> -am test} is the quick loop of unit, slice, WireMock and
 * real-Redis tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(EndToEnd.TAG)
public @interface EndToEnd {

	/** The JUnit tag, as the build's surefire and failsafe configurations name it. */
	String TAG = "end-to-end";

}
